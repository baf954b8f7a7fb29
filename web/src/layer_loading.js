// How the map reads a plan layer, so that a layer of any size stays readable and the browser stays small:
// - a layer the server holds whole (GET /api/layers: "paged": false, a few thousand features) is read once,
//   page by page;
// - a paged layer (farmland patches, a province's rights: above `serve --hold-max-features`) is read by window
//   (the view's extent) with the server's simplification at the view's zoom, and read again when the zoom moves
//   by a level; a window holding more than one answer may carry is not drawn, and the legend says to zoom in;
// - a layer the plan's style limits (styles.json max_scale_denominator) is neither drawn nor read beyond its
//   scale.
import VectorSource from 'ol/source/Vector';
import { bbox as bboxStrategy } from 'ol/loadingstrategy';
import GeoJSON from 'ol/format/GeoJSON';
import { getPointResolution } from 'ol/proj';
import { getJson } from './api.js';
import { withAsOf } from './version.js';

export const PAGE = 5000;           // features per answer of a whole read (the server's default limit)
export const WINDOW_LIMIT = 20000;  // features per window of a paged layer (the server allows 50,000)
const OGC_PIXEL_M = 0.00028;        // the standard rendering pixel (OGC SLD/SE), as QGIS counts scales

const format = new GeoJSON({ dataProjection: 'EPSG:4490', featureProjection: 'EPSG:4490' });

function featuresUrl(id, query) {
  return withAsOf(`/api/layers/${encodeURIComponent(id)}/features?${query}`);
}

export async function loadWhole(id, source) {
  for (let offset = 0; ; offset += PAGE) {
    const fc = await getJson(featuresUrl(id, `limit=${PAGE}&offset=${offset}`));
    source.addFeatures(format.readFeatures(fc));
    if (fc.numberReturned < PAGE) return;
  }
}

// The view's extent as the server's bbox parameter accepts it (inside lon ±180, lat ±90).
function windowParam(extent) {
  const [x0, y0, x1, y1] = extent;
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  return [clamp(x0, -180, 180), clamp(y0, -90, 90), clamp(x1, -180, 180), clamp(y1, -90, 90)].map((v) => v.toFixed(6)).join(',');
}

// A source read by window. `onState(state)` hears 'loaded' or 'crowded' (more than WINDOW_LIMIT in the window).
export function windowSource(id, map, onState) {
  const view = map.getView();
  const source = new VectorSource({
    strategy: bboxStrategy,
    loader: (extent, resolution, projection, success, failure) => {
      const zoom = view.getZoomForResolution(resolution);
      getJson(featuresUrl(id, `bbox=${windowParam(extent)}&zoom=${zoom.toFixed(2)}&limit=${WINDOW_LIMIT}`))
        .then((fc) => {
          // A crowded window stays marked as read (no request loop); zooming in reads again.
          if (fc.numberReturned >= WINDOW_LIMIT) {
            onState('crowded');
            success([]);
            return;
          }
          const features = format.readFeatures(fc);
          source.addFeatures(features);
          onState('loaded');
          success(features);
        })
        .catch(() => {
          source.removeLoadedExtent(extent);
          failure();
        });
    },
  });
  // Geometry simplified for one zoom is too coarse a level further in: read the view again per level.
  let level = null;
  map.on('moveend', () => {
    const now = Math.round(view.getZoom() ?? 0);
    if (level !== null && now !== level) source.refresh();
    level = now;
  });
  return source;
}

// Degrees per pixel at which the map shows 1:`scale` at the view's centre.
export function resolutionAtScale(map, scale) {
  const view = map.getView();
  const metresPerDegree = getPointResolution(view.getProjection(), 1, view.getCenter(), 'm');
  return (scale * OGC_PIXEL_M) / metresPerDegree;
}

// The scale 1:N the view shows now (as the scale bar computes it).
export function currentScale(map) {
  const view = map.getView();
  const metresPerPixel = getPointResolution(view.getProjection(), view.getResolution(), view.getCenter(), 'm');
  return metresPerPixel / OGC_PIXEL_M;
}
