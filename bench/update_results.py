#!/usr/bin/env python3
"""update_results.py RESULTS.md NAME FILE: replaces the block between "<!-- NAME: begin -->" and
"<!-- NAME: end -->" in RESULTS.md with FILE's text (bench/host/run.sh and bench/mcu/run.sh use it;
NAME is the script). The first time, the block goes after the title, before the other sections."""
import sys

path, name, new_file = sys.argv[1:4]
new = open(new_file).read().rstrip("\n")
begin, end = f"<!-- {name}: begin -->", f"<!-- {name}: end -->"
text = open(path).read()
block = f"{begin}\n{new}\n{end}"
if begin in text and end in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    head, sep, rest = text.partition("\n## ")
    text = (head.rstrip("\n") + "\n\n" + block + "\n\n" + sep.lstrip("\n") + rest) if sep else (text.rstrip("\n") + "\n\n" + block + "\n")
open(path, "w").write(text)
