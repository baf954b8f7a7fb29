// The feature a user chose (by a click or a search result), outlined above every layer and below the labels,
// so that what was found is seen at once and not confused with its neighbours.
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import Feature from 'ol/Feature';
import { Fill, Stroke, Style } from 'ol/style';
import CircleStyle from 'ol/style/Circle';
import { LABEL_Z } from './cartography.js';

const STYLE = [
  new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 7 }) }),
  new Style({
    stroke: new Stroke({ color: '#00b7ff', width: 3.5 }),
    fill: new Fill({ color: 'rgba(0,183,255,0.12)' }),
    image: new CircleStyle({ radius: 8, stroke: new Stroke({ color: '#00b7ff', width: 3 }), fill: new Fill({ color: 'rgba(0,183,255,0.3)' }) }),
  }),
];

export function createHighlightLayer(map) {
  const source = new VectorSource();
  const layer = new VectorLayer({ source, zIndex: LABEL_Z - 1, style: STYLE });
  layer.set('layerId', 'highlight');
  map.addLayer(layer);
  return {
    layer,
    show(geometry) {
      source.clear();
      if (geometry) source.addFeature(new Feature({ geometry }));
    },
    clear() { source.clear(); },
    geometry() { return source.getFeatures()[0]?.getGeometry() ?? null; },
  };
}
