"""tfc from Python: compile a config, load a model library, run it (ctypes over tfc.h).

    import tfc
    so = tfc.compile("path/to/model_dir", "model.so")      # runs tfc-compile
    model = tfc.Model(so, weights="path/to/model_dir")      # tfc_weights_load
    s = model.session()                                     # tfc_session_create
    logits = s.prefill(np.array([1, 2, 3]))                 # float32 [3, vocab]
    row = s.decode(4)                                       # float32 [vocab]
    text = model.generate("Once upon a time", max_new_tokens=32, temperature=0)

Token ids go in as any integer array (converted to int64), logits come out as
float32 numpy arrays (copies: the runtime's buffer is reused by the next
call). Text goes through tfc-tokenize with the checkpoint folder's
tokenizer.json. The tools are looked up in $TFC_BIN, then build/bin of this
checkout, then $PATH. Errors raise TfcError with the runtime's message.
"""

import ctypes
import os
import shutil
import subprocess

import numpy as np

__all__ = ["TfcError", "compile", "Model", "Session", "Tokenizer", "tool"]


class TfcError(RuntimeError):
    pass


def tool(name):
    """Path of a tfc tool (tfc-compile, tfc-tokenize, ...)."""
    candidates = []
    if os.environ.get("TFC_BIN"):
        candidates.append(os.path.join(os.environ["TFC_BIN"], name))
    here = os.path.dirname(os.path.abspath(__file__))
    candidates.append(os.path.join(here, "..", "..", "build", "bin", name))
    for c in candidates:
        if os.access(c, os.X_OK):
            return os.path.abspath(c)
    found = shutil.which(name)
    if not found:
        raise TfcError(f"{name} not found (set TFC_BIN to the directory of the tfc tools)")
    return found


def compile(config, output, *args):
    """Compile a config.json (or its folder, or a model card) to a model .so with tfc-compile."""
    r = subprocess.run([tool("tfc-compile"), str(config), "-o", str(output), "--quiet", *args],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise TfcError(r.stderr.strip() or f"tfc-compile failed ({r.returncode})")
    return str(output)


_I64P = ctypes.POINTER(ctypes.c_int64)
_F32P = ctypes.POINTER(ctypes.c_float)
_SIGNATURES = {
    "tfc_last_error": (ctypes.c_char_p, []),
    "tfc_weights_load": (ctypes.c_void_p, [ctypes.c_char_p]),
    "tfc_weights_destroy": (None, [ctypes.c_void_p]),
    "tfc_session_create": (ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_int64]),
    "tfc_session_destroy": (None, [ctypes.c_void_p]),
    "tfc_session_prefill": (ctypes.c_int, [ctypes.c_void_p, _I64P, ctypes.c_int64]),
    "tfc_session_prefill_last": (ctypes.c_int, [ctypes.c_void_p, _I64P, ctypes.c_int64]),
    "tfc_session_decode": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int64]),
    "tfc_session_logits": (_F32P, [ctypes.c_void_p, _I64P]),
    "tfc_session_position": (ctypes.c_int64, [ctypes.c_void_p]),
    "tfc_session_max_context": (ctypes.c_int64, [ctypes.c_void_p]),
    "tfc_session_reset": (None, [ctypes.c_void_p]),
    "tfc_session_truncate": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int64]),
    "tfc_model_set_threads": (None, [ctypes.c_int]),
    "tfc_manifest_vocab_size": (ctypes.c_int64, []),
    "tfc_manifest_model_type": (ctypes.c_char_p, []),
    "tfc_manifest_num_layers": (ctypes.c_int64, []),
    "tfc_manifest_hidden_size": (ctypes.c_int64, []),
}


# Looked up when present (libraries of older tfc-compile lack them).
_OPTIONAL_SIGNATURES = {
    "tfc_weights_load_copied": (ctypes.c_void_p, [ctypes.c_char_p]),
}


class _Library:
    def __init__(self, path):
        try:
            self.dll = ctypes.CDLL(os.path.abspath(path), mode=ctypes.RTLD_LOCAL)
        except OSError as e:
            raise TfcError(f"cannot load model library: {e}") from None
        for name, (res, args) in _SIGNATURES.items():
            try:
                f = getattr(self.dll, name)
            except AttributeError:
                raise TfcError(f"'{path}' is not a tfc model library: missing {name}") from None
            f.restype, f.argtypes = res, args
            setattr(self, name, f)
        for name, (res, args) in _OPTIONAL_SIGNATURES.items():
            f = getattr(self.dll, name, None)
            if f is not None:
                f.restype, f.argtypes = res, args
            setattr(self, name, f)

    def error(self):
        return TfcError(self.tfc_last_error().decode("utf-8", "replace"))


class Tokenizer:
    """encode/decode with a tokenizer.json through tfc-tokenize."""

    def __init__(self, path):
        self.path = str(path)

    def _run(self, args, data):
        r = subprocess.run([tool("tfc-tokenize"), self.path, *args], input=data, capture_output=True)
        if r.returncode != 0:
            raise TfcError(r.stderr.decode("utf-8", "replace").strip())
        return r.stdout

    def encode(self, text, add_special=False):
        out = self._run(["--add-special"] if add_special else [], text.encode("utf-8")).decode().strip()
        return np.array([int(t) for t in out.split(",") if t], dtype=np.int64)

    def decode(self, ids, skip_special=False):
        data = ",".join(str(int(i)) for i in ids).encode()
        return self._run(["--decode"] + (["--skip-special"] if skip_special else []), data).decode("utf-8")


class Session:
    """One sequence: a KV cache, its position and the last logits."""

    def __init__(self, model, max_context=0):
        self.model = model
        self._lib = model._lib
        self._handle = self._lib.tfc_session_create(model._weights, int(max_context))
        if not self._handle:
            raise self._lib.error()

    def close(self):
        if self._handle:
            self._lib.tfc_session_destroy(self._handle)
            self._handle = None

    __del__ = close

    def _run(self, fn, tokens):
        ids = np.ascontiguousarray(np.asarray(tokens, dtype=np.int64).reshape(-1))
        if fn(self._handle, ids.ctypes.data_as(_I64P), ids.size) != 0:
            raise self._lib.error()
        return self.logits()

    def prefill(self, tokens):
        """Runs tokens after what the cache holds; float32 logits [n, vocab]."""
        return self._run(self._lib.tfc_session_prefill, tokens)

    def prefill_last(self, tokens):
        """As prefill, computing only the last position's logits ([1, vocab])."""
        return self._run(self._lib.tfc_session_prefill_last, tokens)

    def decode(self, token):
        """Runs one token; float32 logits [vocab]."""
        if self._lib.tfc_session_decode(self._handle, int(token)) != 0:
            raise self._lib.error()
        return self.logits()[-1]

    def logits(self):
        rows = ctypes.c_int64(0)
        ptr = self._lib.tfc_session_logits(self._handle, ctypes.byref(rows))
        if not ptr:
            return np.zeros((0, self.model.vocab_size), dtype=np.float32)
        return np.ctypeslib.as_array(ptr, shape=(rows.value, self.model.vocab_size)).copy()

    @property
    def position(self):
        return self._lib.tfc_session_position(self._handle)

    @property
    def max_context(self):
        return self._lib.tfc_session_max_context(self._handle)

    def reset(self):
        self._lib.tfc_session_reset(self._handle)

    def truncate(self, n):
        """Keeps the first n positions of the cache (rewinds to position n)."""
        if self._lib.tfc_session_truncate(self._handle, int(n)) != 0:
            raise self._lib.error()


class Model:
    """A compiled model library with a checkpoint bound to it."""

    def __init__(self, library, weights, threads=0, tokenizer=None, copy_weights=False):
        """copy_weights: copy every tensor onto huge pages instead of reading those in the
        model's dtype from the mapped files (tfc_weights_load_copied): faster decode, at the
        cost of the weights' size in memory."""
        self._lib = _Library(library)
        self._lib.tfc_model_set_threads(int(threads))
        self.vocab_size = self._lib.tfc_manifest_vocab_size()
        if self.vocab_size < 0:
            raise self._lib.error()
        self.model_type = self._lib.tfc_manifest_model_type().decode()
        self.weights_path = str(weights)
        if copy_weights and not self._lib.tfc_weights_load_copied:
            raise TfcError(f"copy_weights: '{library}' has no tfc_weights_load_copied "
                           "(compiled by an older tfc-compile)")
        load = self._lib.tfc_weights_load_copied if copy_weights else self._lib.tfc_weights_load
        self._weights = load(self.weights_path.encode())
        if not self._weights:
            raise self._lib.error()
        folder = self.weights_path if os.path.isdir(self.weights_path) else os.path.dirname(self.weights_path)
        self.folder = folder
        self._tokenizer = Tokenizer(tokenizer) if tokenizer else None

    def __del__(self):
        if getattr(self, "_weights", None):
            self._lib.tfc_weights_destroy(self._weights)
            self._weights = None

    def session(self, max_context=0):
        return Session(self, max_context)

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            self._tokenizer = Tokenizer(self.folder)
        return self._tokenizer

    def eos_ids(self):
        """eos_token_id of config.json and generation_config.json (int or list)."""
        import json
        ids = []
        for name in ("config.json", "generation_config.json"):
            p = os.path.join(self.folder, name)
            if os.path.exists(p):
                v = json.load(open(p)).get("eos_token_id")
                for i in (v if isinstance(v, list) else [v] if v is not None else []):
                    if i not in ids:
                        ids.append(i)
        return ids

    def generate(self, prompt, max_new_tokens=64, temperature=0.0, top_k=0, top_p=1.0, seed=0):
        """Text after prompt (tokenised with the special tokens of the post_processor),
        stopping at an EOS id. temperature 0 is greedy (argmax, lowest id on ties);
        otherwise top-k, then top-p, then temperature, then a draw from numpy's
        generator seeded with seed."""
        ids = self.tokenizer.encode(prompt, add_special=True)
        eos = set(self.eos_ids())
        rng = np.random.default_rng(seed)
        s = self.session(max_context=len(ids) + max_new_tokens)
        row = s.prefill_last(ids)[-1]
        out = []
        for i in range(max_new_tokens):
            if temperature <= 0:
                nxt = int(np.argmax(row))
            else:
                order = np.argsort(-row.astype(np.float64), kind="stable")
                if top_k > 0:
                    order = order[:top_k]
                p = np.exp(row[order] - row[order[0]])
                p /= p.sum()
                if top_p < 1.0:
                    order = order[:int(np.searchsorted(np.cumsum(p), top_p) + 1)]
                z = row[order].astype(np.float64) / temperature
                p = np.exp(z - z.max())
                nxt = int(order[rng.choice(len(order), p=p / p.sum())])
            if nxt in eos:
                break
            out.append(nxt)
            if i + 1 < max_new_tokens:
                row = s.decode(nxt)
        s.close()
        return self.tokenizer.decode(out, skip_special=True)
