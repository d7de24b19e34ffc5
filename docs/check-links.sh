#!/usr/bin/env bash
# Checks every relative markdown link (and its #anchor) in README.md, docs/*.md and mibs/README.md.
cd "${1:-$(dirname "$0")/..}" || exit 2
python3 - README.md docs/*.md mibs/README.md <<'PY'
import re, sys, os
def slugs(path):
    out, seen, fence = set(), {}, False
    for line in open(path, encoding='utf-8'):
        if line.startswith('```'):
            fence = not fence
            continue
        if not fence:
            out.update(re.findall(r'<a id="([^"]+)"></a>', line))
        m = None if fence else re.match(r'^#{1,6} +(.*?)\s*#*\s*$', line)
        if m:
            s = re.sub(r'[^\w\- ]', '', m.group(1).strip().lower()).replace(' ', '-')
            n = seen.get(s, 0); seen[s] = n + 1
            out.add(s if n == 0 else f'{s}-{n}')
    return out
bad = 0
for f in sys.argv[1:]:
    text = open(f, encoding='utf-8').read()
    text = re.sub(r'```.*?```', '', text, flags=re.S)
    for target in re.findall(r'\]\(([^)\s]+)\)', text):
        if re.match(r'^[a-z]+:', target):
            continue
        path, _, anchor = target.partition('#')
        dest = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
        if not os.path.exists(dest):
            print(f'{f}: missing file {target}'); bad += 1; continue
        if anchor and dest.endswith('.md') and anchor not in slugs(dest):
            print(f'{f}: missing anchor {target}'); bad += 1
print('links checked,', bad, 'broken')
sys.exit(1 if bad else 0)
PY
