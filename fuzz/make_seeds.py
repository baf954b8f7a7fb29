#!/usr/bin/env python3
"""Seed inputs for the fuzz targets (fuzz/README.md): tests/data, the sample data and hand cases, each with
the target's selector byte. Usage: fuzz/make_seeds.py OUT_DIR  (writes OUT_DIR/<target>/<sha1>); then fuzz
with OUT_DIR/<target> as an extra corpus directory, or fold it in with fuzz/run.sh --merge."""
import json, os, glob, hashlib, csv, io, sys, urllib.parse
R = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
S = sys.argv[1] if len(sys.argv) > 1 else '/tmp/minplan-fuzz-seeds'
def put(target, data):
    if isinstance(data, str): data = data.encode()
    d = os.path.join(S, target); os.makedirs(d, exist_ok=True)
    open(os.path.join(d, hashlib.sha1(data).hexdigest()), 'wb').write(data)

# attributes: every case's attrs as JSON and TOML, the format fixtures, hand cases
def toml_of(attrs):
    out = ['[application]']
    for k, v in attrs.items():
        if isinstance(v, bool): out.append(f'{k} = {"true" if v else "false"}')
        elif isinstance(v, (int, float)): out.append(f'{k} = {v}')
        elif isinstance(v, list): out.append(f'{k} = {json.dumps(v, ensure_ascii=False)}')
        else: out.append(f'{k} = {json.dumps(v, ensure_ascii=False)}  # 注释')
    return '\n'.join(out) + '\n'
def kv_of(attrs):
    return ''.join(f'{k}={",".join(v) if isinstance(v, list) else (str(v).lower() if isinstance(v,bool) else v)}\n' for k, v in attrs.items())
seen = set()
for f in sorted(glob.glob(R + '/tests/data/rules/cases/*.json')):
    c = json.load(open(f))
    a = c.get('attrs', {})
    key = json.dumps(sorted(a)); 
    if key in seen: continue
    seen.add(key)
    put('attributes_fuzz', json.dumps(a, ensure_ascii=False, indent=1))
    put('attributes_fuzz', toml_of(a))
    put('attributes_fuzz', kv_of(a))
for f in glob.glob(R + '/tests/data/rules/formats/attrs.*'): put('attributes_fuzz', open(f, 'rb').read())
for s in ['{}', '{"scale": 1e400}', '{"scale": -5}', '{"mechanisation_pct": 250}', '{"scale": "12.5"}', '[' * 100 + ']' * 100,
          '{"associated_minerals": "铁"}', '{"for_profit": "是"}', '{"kind": "采矿权", "action": "扩界"}',
          'scale = inf\n', 'scale = nan\n', 'name = 未加引号\n', '"scale" = 3 # c\n', '[other]\nx = 1\n', 'service_life = 200\n',
          'associated_minerals = ["铁", "铜"]\n', 'scale=5\nscale_unit=万吨/年\nassociated_minerals=铁，铜；金\n']:
    put('attributes_fuzz', s)

# intake CSV: first byte picks the file name (0 矿山名录 1 矿山年报 2 勘查成果 3 other)
names = {'mines': 0, 'mine_years': 1, 'exploration': 2}
for f in glob.glob(R + '/data/samples/*.csv'):
    b = open(f, 'rb').read()
    k = next(v for n, v in names.items() if f.endswith('_' + n + '.csv'))
    put('intake_csv_fuzz', bytes([k]) + b)
    put('intake_csv_fuzz', bytes([3]) + b)
    lines = b.split(b'\n')
    put('intake_csv_fuzz', bytes([k]) + b'\n'.join(lines[:4]))
for f in glob.glob(R + '/tests/data/monitor/*.csv'):
    b = open(f, 'rb').read()
    put('intake_csv_fuzz', bytes([1]) + b)
    put('intake_csv_fuzz', bytes([3]) + b)
put('intake_csv_fuzz', bytes([1]) + '年度*,矿山编号*,矿种*,产量\n2023,"a""b\n2023,x,煤,nan\n'.encode())

# XLSX: raw files (first byte even) and worksheet parts (odd)
for f in glob.glob(R + '/data/samples/*.xlsx') + glob.glob(R + '/tests/data/monitor/*.xlsx'):
    put('intake_xlsx_fuzz', b'\x00' + open(f, 'rb').read())
def cell_ref(c, r):
    s = ''; c += 1
    while c: c, m = divmod(c - 1, 26); s = chr(65 + m) + s
    return f'{s}{r}'
def sheet_xml(rows):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, 1):
        out.append(f'<row r="{r}">')
        for c, v in enumerate(row):
            if v == '': continue
            try:
                float(v); out.append(f'<c r="{cell_ref(c, r)}"><v>{v}</v></c>')
            except ValueError:
                v = v.replace('&', '&amp;').replace('<', '&lt;')
                out.append(f'<c r="{cell_ref(c, r)}" t="inlineStr"><is><t>{v}</t></is></c>')
        out.append('</row>')
    out.append('</sheetData></worksheet>')
    return ''.join(out)
def rows_of(f, n=None):
    rows = [r for r in csv.reader(io.StringIO(open(f, encoding='utf-8-sig').read())) if r and not r[0].startswith('#')]
    return rows[:n] if n else rows
SEP = '\n#PART#\n'
smp = R + '/data/samples/sample_2021-2023_'
mines, years, expl = rows_of(smp + 'mines.csv'), rows_of(smp + 'mine_years.csv'), rows_of(smp + 'exploration.csv')
parts_seed = [
    sheet_xml(mines),
    sheet_xml(mines[:3]) + SEP + sheet_xml(years[:4]),
    sheet_xml(mines) + SEP + sheet_xml(years) + SEP + sheet_xml(expl),
    sheet_xml(mines[:1]),
    sheet_xml(mines[:2]) + SEP + sheet_xml([years[0], ['2023', mines[1][0], mines[1][3] if len(mines[1]) > 3 else '煤', 'nan']]),
]
# shared strings variant
ss = '<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>矿山编号*</t></si><si><t>矿山名称*</t></si><si><t>矿种*</t></si></sst>'
parts_seed.append('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="str"><v>煤</v></c></row></sheetData></worksheet>' + SEP + SEP + SEP + ss)
for p in parts_seed:
    put('intake_xlsx_fuzz', b'\x01' + p.encode())

# application: GeoJSON (0 file, 1 bytes, 2 .json file) and coordinate texts (3 .txt)
gj = glob.glob(R + '/tests/data/store/*.geojson') + glob.glob(R + '/tests/data/rules/apps/*.geojson') + glob.glob(R + '/tests/data/rules/formats/*.geojson')
for f in gj:
    b = open(f, 'rb').read()
    if len(b) > 20000: continue
    put('application_fuzz', b'\x00' + b); put('application_fuzz', b'\x01' + b); put('application_fuzz', b'\x06' + b)
txts = sorted(glob.glob(R + '/tests/data/rules/apps/*.txt'))[:25] + glob.glob(R + '/tests/data/rules/formats/app.*.txt')
for f in txts:
    put('application_fuzz', b'\x03' + open(f, 'rb').read())
for f in glob.glob(R + '/tests/data/formats/*.txt'):
    b = open(f, 'rb').read()
    if len(b) < 20000: put('application_fuzz', b'\x07' + b)

# HTTP check: byte 0 content type (0 json 1 geo+json 2 text/plain 3 text utf-8 4 gbk 5 form 6 multipart 7 octet), query line, body
coal = open(R + '/tests/data/rules/apps/coal_all_pass.txt', 'rb').read()
coal_attrs = json.load(open(R + '/tests/data/rules/cases/coal_all_pass.json'))['attrs']
q = urllib.parse.urlencode({'kind': 'mining', 'action': 'new', **{k: (str(v).lower() if isinstance(v, bool) else v) for k, v in coal_attrs.items()}})
put('http_check_fuzz', b'\x03' + q.encode() + b'\n' + coal)
put('http_check_fuzz', b'\x03' + b'\n' + coal)
put('http_check_fuzz', b'\x02' + b'format=html&kind=mining\n' + coal)
put('http_check_fuzz', b'\x02' + b'scale=-5&mechanisation_pct=250\n' + coal)
for f in sorted(glob.glob(R + '/tests/data/rules/cases/*.json'))[::6]:
    c = json.load(open(f))
    app = open(os.path.join(R, 'tests/data/rules', c['application']), 'rb').read()
    a = {k: (str(v).lower() if isinstance(v, bool) else (','.join(v) if isinstance(v, list) else v)) for k, v in c.get('attrs', {}).items()}
    qq = urllib.parse.urlencode({'kind': c.get('kind', 'mining'), 'action': c.get('action', 'new'), **a})
    put('http_check_fuzz', (b'\x01' if c['application'].endswith('json') else b'\x03') + qq.encode() + b'\n' + app)
for f in gj[:6]:
    put('http_check_fuzz', b'\x01' + b'kind=mining\n' + open(f, 'rb').read())
put('http_check_fuzz', b'\x00kind=exploration\n{"type": "Feature", ')
put('http_check_fuzz', b'\x05a=b\nc=d')
put('http_check_fuzz', b'\x04kind=mining\n' + open(R + '/tests/data/formats/land_parcel_datong_gbk.txt', 'rb').read())

# HTTP intake: byte 0 bits 0-1 mode (0 CSV part, 1 XLSX parts, 2 raw .xlsx part, 3 whole multipart body), bit 2 replace
for f in glob.glob(R + '/data/samples/*.csv') + glob.glob(R + '/tests/data/monitor/*.csv')[:8]:
    put('http_intake_fuzz', b'\x00' + open(f, 'rb').read())
for p in parts_seed[:4]:
    put('http_intake_fuzz', b'\x01' + p.encode()); 
put('http_intake_fuzz', b'\x05' + parts_seed[2].encode())
for f in glob.glob(R + '/tests/data/monitor/*.xlsx') + glob.glob(R + '/data/samples/*.xlsx'):
    put('http_intake_fuzz', b'\x02' + open(f, 'rb').read())
mp = ('--fuzzboundary\r\nContent-Disposition: form-data; name="file"; filename="annual.csv"\r\nContent-Type: text/csv\r\n\r\n'
      + open(smp + 'mines.csv', encoding='utf-8').read() + '\r\n--fuzzboundary\r\nContent-Disposition: form-data; name="replace"\r\n\r\ntrue\r\n--fuzzboundary--\r\n')
put('http_intake_fuzz', b'\x03' + mp.encode())
put('http_intake_fuzz', b'\x03' + b'--fuzzboundary\r\nContent-Disposition: form-data; name="file"; filename="../../x.txt"\r\n\r\nabc\r\n--fuzzboundary--\r\n')
put('http_intake_fuzz', b'\x03' + b'--fuzzboundary\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n\r\n--fuzzboundary\r\nContent-Disposition: form-data; name="file"; filename="b.csv"\r\n\r\nx\r\n--fuzzboundary--\r\n')
