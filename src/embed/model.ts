/** The embedding model this project is built and evaluated with. */
export const MODEL_ID = 'Xenova/bge-small-zh-v1.5';
/** int8 ONNX weights: a quarter of the fp32 size at no measurable loss in ranking. */
export const MODEL_DTYPE = 'q8';
/** Width of the CLS vector bge-small-zh produces. */
export const MODEL_DIM = 512;
/**
 * bge's retrieval instruction. It is prepended to queries only: bge was trained
 * with asymmetric query/passage inputs, and passages embed better without it.
 */
export const QUERY_INSTRUCTION = '为这个句子生成表示以用于检索相关文章：';
/** The file whose presence says a folder holds the model. */
export const MODEL_WEIGHTS = 'onnx/model_quantized.onnx';
/** The files transformers.js needs besides the weights (tokenizer.json: vocab.txt alone does not load). */
export const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', MODEL_WEIGHTS] as const;
