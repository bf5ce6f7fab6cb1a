#!/usr/bin/env python3
"""Corrupts a compiled Datalog module byte by byte and runs each variant.

For every other byte of the DatalogRelations and DatalogCode sections (a
process start per variant is the cost), writes a copy of the module with
that byte's top bit flipped (the checksum recomputed, so the
verifier rather than the CRC has to catch it) and runs
`rune-run query <copy> -D -`. Every run must end with exit code 0 or 1 and,
when it fails, with an error message: never a crash or silence. A variant
that still verifies is a different, valid program, which may not terminate
(a comparison turned around in a recursive rule): runs are stopped after a
few seconds and counted apart. Prints `N variants, K rejected` and exits 1
on a crash.
"""

import struct
import subprocess
import sys
import zlib


def sections(data):
    count = struct.unpack_from("<I", data, 28)[0]
    for i in range(count):
        kind, offset, size = struct.unpack_from("<III", data, 32 + 12 * i)
        yield kind, offset, size


def main():
    rune_run, module, work = sys.argv[1], sys.argv[2], sys.argv[3]
    data = bytearray(open(module, "rb").read())
    variants = rejected = stopped = 0
    for kind, offset, size in sections(data):
        if kind not in (8, 9):
            continue
        for position in range(offset, offset + size, 2):
            for delta in (0x80,):
                copy = bytearray(data)
                copy[position] = (copy[position] + delta) & 0xFF
                struct.pack_into("<I", copy, 24, zlib.crc32(bytes(copy[32:])))
                open(work, "wb").write(copy)
                variants += 1
                try:
                    result = subprocess.run(
                        [rune_run, "query", work, "-D", "-"],
                        capture_output=True, text=True, timeout=1)
                except subprocess.TimeoutExpired:
                    stopped += 1
                    continue
                if result.returncode not in (0, 1):
                    print("byte %d +%d: exit code %d\n%s" % (
                        position, delta, result.returncode, result.stderr))
                    return 1
                if result.returncode == 1:
                    rejected += 1
                    if "error" not in result.stderr:
                        print("byte %d +%d: failed without a message" % (
                            position, delta))
                        return 1
    print("%d variants, %d rejected, %d stopped" % (variants, rejected,
                                                    stopped))
    return 0 if variants and rejected else 1


if __name__ == "__main__":
    sys.exit(main())
