/**
 * Writes the sources that `scripts/make-format-fixtures.sh` turns into real
 * PDF, Word and scanned files with LibreOffice: a gazette as a flat ODF text
 * document (running header, page-number footer, tables, heading styles), and
 * the mayor's interview as a web page with the chrome a government site puts
 * around an article. Usage: tsx scripts/format-fixtures.ts SEEDS_DIR OUT_DIR
 */
import fs from 'node:fs';
import path from 'node:path';

/** Which seed becomes which fixture; `lines` keeps a part of a long gazette so the files stay small. */
const GAZETTES = [
  { seed: '002_852d44e181674f23.txt', out: 'gazette-2020-3', lines: [1, 200] },
  { seed: '003_e3b2b8ae44c3b319.txt', out: 'gazette-2020-2', lines: [1, 821] },
] as const;
const INTERVIEW = { seed: '000_2058a461c03b0fab.txt', out: 'interview' } as const;

function escapeXml(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;');
}

/** A line of text as ODF inline content: runs of spaces and tabs kept as the document had them. */
function odfInline(text: string): string {
  return escapeXml(text)
    .replace(/\t/gu, '<text:tab/>')
    .replace(/ {2,}/gu, (spaces) => ` <text:s text:c="${spaces.length - 1}"/>`);
}

/** A short numbered line (`一、…`) is a heading in the Word file, as an author would style it. */
function isHeading(line: string): boolean {
  return /^[一二三四五六七八九十]+、/u.test(line) && line.length <= 40 && !/[。；]/u.test(line);
}

/** Table rows (two or more tabs) become a real table; a contents line (`title<TAB>page`) stays a paragraph. */
function isRow(line: string): boolean {
  return (line.match(/\t/gu) ?? []).length >= 2;
}

function table(rows: readonly string[], k: number): string {
  const cells = rows.map((row) => row.split('\t').map((c) => c.trim()));
  const width = Math.max(...cells.map((c) => c.length));
  const body = cells
    .map((row) => {
      const padded = [...row, ...Array<string>(width - row.length).fill('')];
      return `<table:table-row>${padded.map((c) => `<table:table-cell office:value-type="string"><text:p text:style-name="Cell">${odfInline(c)}</text:p></table:table-cell>`).join('')}</table:table-row>`;
    })
    .join('\n');
  return `<table:table table:name="T${k}" table:style-name="Tbl"><table:table-column table:number-columns-repeated="${width}"/>\n${body}\n</table:table>`;
}

/** A gazette as flat ODF: every non-blank line a paragraph (or table row), on A4 pages with a running header and page numbers. */
function gazetteFodt(lines: readonly string[], header: string): string {
  const blocks: string[] = [];
  let rows: string[] = [];
  const flush = (): void => {
    if (rows.length) blocks.push(table(rows, blocks.length));
    rows = [];
  };
  for (const line of lines) {
    if (!line.trim()) continue;
    if (isRow(line)) {
      rows.push(line);
      continue;
    }
    flush();
    const style = isHeading(line.trim()) ? 'Heading_20_2' : 'Body';
    blocks.push(`<text:p text:style-name="${style}">${odfInline(line.trim())}</text:p>`);
  }
  flush();
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="Noto Serif CJK SC" svg:font-family="'Noto Serif CJK SC'" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/></office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:text-properties style:font-name="Noto Serif CJK SC" style:font-name-asian="Noto Serif CJK SC" fo:font-size="12pt" style:font-size-asian="12pt" fo:language="zh" fo:country="CN" style:language-asian="zh" style:country-asian="CN"/></style:default-style>
<style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-indent="24pt" fo:margin-bottom="4pt" fo:line-height="150%"/></style:style>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2"><style:paragraph-properties fo:margin-top="8pt" fo:margin-bottom="6pt"/><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" fo:font-size="13pt" style:font-size-asian="13pt"/></style:style>
<style:style style:name="Cell" style:family="paragraph"><style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/></style:style>
<style:style style:name="Header" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/></style:style>
</office:styles>
<office:automatic-styles>
<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="16cm" table:align="left"/></style:style>
<style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
<style:header-style><style:header-footer-properties fo:margin-bottom="0.5cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:margin-top="0.5cm"/></style:footer-style></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="A4">
<style:header><text:p text:style-name="Header">${escapeXml(header)}</text:p></style:header>
<style:footer><text:p text:style-name="Header">— <text:page-number text:select-page="current">1</text:page-number> —</text:p></style:footer>
</style:master-page></office:master-styles>
<office:body><office:text>
${blocks.join('\n')}
</office:text></office:body></office:document>
`;
}

/** One page holding a picture of a printed page and nothing else: what a scanner makes. */
export function scannedFodt(png: Buffer): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles><style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="0cm" fo:margin-bottom="0cm" fo:margin-left="0cm" fo:margin-right="0cm"/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="A4"/></office:master-styles>
<office:body><office:text><text:p><draw:frame text:anchor-type="as-char" svg:width="21cm" svg:height="29.69cm"><draw:image><office:binary-data>${png.toString('base64')}</office:binary-data></draw:image></draw:frame></text:p></office:text></office:body></office:document>
`;
}

const escapeHtml = escapeXml;

/** The interview as a city government site shows it: header, menu, breadcrumbs, article, related-news sidebar, footer. */
function interviewHtml(lines: readonly string[]): string {
  const text = lines.map((l) => l.trim()).filter(Boolean);
  const [kicker, headline, ...body] = text;
  const paragraphs = body
    .map((line) => {
      // Short lines with no sentence in them are the article's subheadings.
      if (line.length <= 30 && !/[。，：；？！]/u.test(line) && !line.startsWith('□')) return `      <h3>${escapeHtml(line)}</h3>`;
      return `      <p>${escapeHtml(line)}</p>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escapeHtml(headline ?? '')}_媒体聚焦_三门峡市人民政府</title>
<link rel="stylesheet" href="/css/main.css">
<script>var _hmt = _hmt || []; (function () { var hm = document.createElement('script'); hm.src = '/js/stat.js'; })();</script>
</head>
<body>
<div class="top">
  <div class="logo"><a href="/"><img src="/images/logo.png" alt="三门峡市人民政府"></a></div>
  <div class="top-links"><a href="/">网站首页</a> | <a href="/wza/">无障碍浏览</a> | <a href="/en/">English</a></div>
  <form class="search" action="/search/"><input name="q" placeholder="请输入关键字"><button>搜索</button></form>
</div>
<nav class="menu">
  <ul>
    <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>
    <li><a href="/hdjl/">互动交流</a></li><li><a href="/zjsmx/">走进三门峡</a></li><li><a href="/ztzl/">专题专栏</a></li>
  </ul>
</nav>
<div class="main clearfix">
  <div class="dqwz">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/">新闻中心</a> &gt; <a href="/xwzx/mtjj/">媒体聚焦</a></div>
  <div class="left">
    <div class="article">
      <div class="yt">${escapeHtml(kicker ?? '')}</div>
      <h1>${escapeHtml(headline ?? '')}</h1>
      <div class="info">来源：东方今报 发布时间：2019-03-08 09:12 浏览次数：<span id="hits">1024</span> 【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
      <div class="content">
${paragraphs}
      </div>
      <div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
      <div class="pages"><p>上一篇：<a href="/xwzx/mtjj/1.html">三门峡：黄河岸边天鹅飞</a></p><p>下一篇：<a href="/xwzx/mtjj/3.html">我市召开全市脱贫攻坚推进会</a></p></div>
    </div>
  </div>
  <div class="right">
    <div class="box">
      <h3>相关新闻</h3>
      <ul>
        <li><a href="/xwzx/1.html">三门峡市召开全市脱贫攻坚工作推进会</a><span>2019-03-05</span></li>
        <li><a href="/xwzx/2.html">卢氏县2019年脱贫摘帽工作动员会召开</a><span>2019-03-01</span></li>
        <li><a href="/xwzx/3.html">第十二届中国摄影艺术节筹备工作全面启动</a><span>2019-02-26</span></li>
        <li><a href="/xwzx/4.html">我市康养旅游产业发展规划通过评审</a><span>2019-02-20</span></li>
      </ul>
    </div>
    <div class="box">
      <h3>热点专题</h3>
      <ul><li><a href="/ztzl/tpgj/">决战决胜脱贫攻坚</a></li><li><a href="/ztzl/yhsh/">优化营商环境</a></li></ul>
    </div>
  </div>
</div>
<div class="footer">
  <p><a href="/about/">关于我们</a> | <a href="/sitemap/">网站地图</a> | <a href="/contact/">联系我们</a></p>
  <p>版权所有：三门峡市人民政府 主办：三门峡市人民政府办公室 承办：三门峡市大数据管理局</p>
  <p>网站标识码：4112000001 <a href="https://beian.miit.gov.cn/">豫ICP备05000960号</a> 豫公网安备 41120202000041号</p>
</div>
</body>
</html>
`;
}

function main(): void {
  const [seeds, out] = process.argv.slice(2);
  if (!seeds || !out) throw new Error('usage: tsx scripts/format-fixtures.ts SEEDS_DIR OUT_DIR');
  fs.mkdirSync(out, { recursive: true });
  for (const g of GAZETTES) {
    const lines = fs
      .readFileSync(path.join(seeds, g.seed), 'utf8')
      .split(/\r?\n/u)
      .slice(g.lines[0] - 1, g.lines[1]);
    // The text the formats are made from, kept beside them, so retrieval can be compared format against plain text.
    fs.writeFileSync(path.join(out, `${g.out}.txt`), `${lines.join('\n')}\n`);
    fs.writeFileSync(path.join(out, `${g.out}.fodt`), gazetteFodt(lines, '三门峡市人民政府公报'));
  }
  const interview = fs.readFileSync(path.join(seeds, INTERVIEW.seed), 'utf8').split(/\r?\n/u);
  fs.writeFileSync(path.join(out, `${INTERVIEW.out}.txt`), `${interview.join('\n')}\n`);
  fs.writeFileSync(path.join(out, `${INTERVIEW.out}.html`), interviewHtml(interview));
  const png = process.argv[4];
  if (png) fs.writeFileSync(path.join(out, 'scanned.fodt'), scannedFodt(fs.readFileSync(png)));
}

main();
