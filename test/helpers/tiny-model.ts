import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * Writes a tiny BERT-style sentence model that transformers.js can load offline:
 * a WordPiece tokenizer over single characters and an ONNX graph that is one Gather over
 * a random embedding table (last_hidden_state = table[input_ids]). CLS pooling then returns
 * the [CLS] row, mean pooling the average: enough to exercise the real loading path.
 */
export function writeTinyModel(modelDir: string, name: string, chars: string[], dims = 16): void {
  const dir = path.join(modelDir, name);
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
  const vocabList = [...special, ...new Set(chars)];
  const vocab = Object.fromEntries(vocabList.map((t, i) => [t, i]));
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special.map((t, i) => ({ id: i, content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [vocab[t]], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'BertTokenizer', pad_token: '[PAD]', unk_token: '[UNK]', cls_token: '[CLS]', sep_token: '[SEP]', do_lower_case: true, model_max_length: 512 }),
  );
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: dims }));

  // Deterministic table: row i is a smooth function of i, so different texts get different vectors.
  const table = Float32Array.from({ length: vocabList.length * dims }, (_, k) => Math.sin((Math.floor(k / dims) + 1) * ((k % dims) + 1) * 0.37));
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'ipbot-test',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'tiny',
      node: [{ opType: 'Gather', input: ['embeddings', 'input_ids'], output: ['last_hidden_state'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] }],
      initializer: [{ name: 'embeddings', dims: [vocabList.length, dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(table.buffer) }],
      input: [
        valueInfo('input_ids', onnx.TensorProto.DataType.INT64, ['batch', 'sequence']),
        valueInfo('attention_mask', onnx.TensorProto.DataType.INT64, ['batch', 'sequence']),
      ],
      output: [valueInfo('last_hidden_state', onnx.TensorProto.DataType.FLOAT, ['batch', 'sequence', dims])],
    },
  });
  writeFileSync(path.join(dir, 'onnx', 'model.onnx'), onnx.ModelProto.encode(model).finish());
}

function valueInfo(name: string, elemType: number, shape: Array<string | number>) {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}
