// Compares tfc-tokenize with Hugging Face's tokenizers (the Rust crate, as
// the npm package @anush008/tokenizers builds it) on a corpus:
//   node hf-check.js NODE_MODULES TOKENIZER_JSON CORPUS.jsonl TFC_IDS TFC_TEXT
// CORPUS has one JSON string per line; TFC_IDS the ids tfc-tokenize --jsonl
// printed for it (one line each), TFC_TEXT what tfc-tokenize --decode
// --jsonl printed for those ids. Every line must have the same ids as the
// crate's encode (no special tokens added), and decode(encode(x)) == x for
// both (with --lossy: tfc's decode equals the crate's). Prints a summary; exits 1 on any difference.
const fs = require("fs");
const path = require("path");
const [modules, tokenizerJson, corpusPath, idsPath, textPath, mode] =
  process.argv.slice(2);
const lossy = mode === "--lossy";
const { Tokenizer } = require(path.join(modules, "@anush008/tokenizers"));

function lines(file) {
  const text = fs.readFileSync(file, "utf8");
  const all = text.split("\n");
  if (all[all.length - 1] === "") all.pop();
  return all;
}

(async () => {
  const hf = Tokenizer.fromFile(tokenizerJson);
  const corpus = lines(corpusPath).map((l) => JSON.parse(l));
  const ours = lines(idsPath);
  const decoded = lines(textPath).map((l) => JSON.parse(l));
  let failures = 0, tokens = 0;
  const fail = (msg) => {
    if (++failures <= 10) console.log(msg);
  };
  if (ours.length !== corpus.length || decoded.length !== corpus.length)
    fail(`line counts differ: corpus ${corpus.length}, ids ${ours.length}, text ${decoded.length}`);
  for (let i = 0; i < corpus.length; ++i) {
    const x = corpus[i];
    const enc = await hf.encode(x, null, { addSpecialTokens: false });
    const want = Array.from(enc.getIds()).join(",");
    tokens += enc.getIds().length;
    if (ours[i] !== want)
      fail(`line ${i + 1} ${JSON.stringify(x.slice(0, 60))}: ids differ\n  hf:  ${want.slice(0, 300)}\n  tfc: ${(ours[i] || "").slice(0, 300)}`);
    const hfText = await hf.decode(Array.from(enc.getIds()), false);
    if (decoded[i] !== (lossy ? hfText : x))
      fail(`line ${i + 1}: tfc decode(encode(x)) != ${lossy ? "hf decode" : "x"}: ${JSON.stringify((decoded[i] || "").slice(0, 80))} vs ${JSON.stringify(hfText.slice(0, 80))}`);
    if (!lossy && hfText !== x)
      fail(`line ${i + 1}: hf decode(encode(x)) != x: ${JSON.stringify(hfText.slice(0, 80))}`);
  }
  if (failures) {
    console.log(`FAIL: ${failures} differences on ${corpus.length} lines`);
    process.exit(1);
  }
  console.log(`${corpus.length} lines, ${tokens} tokens: ids identical to Hugging Face tokenizers, ` +
    (lossy ? "decode identical" : "decode(encode(x)) == x"));
})().catch((e) => {
  console.log("error: " + e);
  process.exit(1);
});
