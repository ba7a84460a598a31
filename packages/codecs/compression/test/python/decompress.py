"""Reads [{format, data (base64)}] on stdin; prints [sha256 of the decompressed bytes] using only Python's stdlib."""
import base64
import gzip
import hashlib
import json
import sys
import zlib

DECODERS = {
    "gzip": gzip.decompress,
    "zlib": zlib.decompress,
    "deflate-raw": lambda data: zlib.decompress(data, wbits=-15),
}

items = json.load(sys.stdin)
print(json.dumps([hashlib.sha256(DECODERS[i["format"]](base64.b64decode(i["data"]))).hexdigest() for i in items]))
