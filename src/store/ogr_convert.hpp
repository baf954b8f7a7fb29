// Internal: conversion between OGR features/layers and minplan's schema and Feature values.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "core/value.hpp"
#include "store/gdal_handles.hpp"
#include "store/plan_store.hpp"

namespace minplan::store::detail {

struct LayerOptions {
    std::vector<std::string> creation_options;  // e.g. "ENCODING=GBK" for Shapefile
    bool use_alias_names = false;               // not used by GPKG; reserved for formats without aliases
    std::string layer_name;                     // default: the schema's code (staging tables get their own)
    // Commit every `batch_size` features (0 = one transaction for the layer): staging writes in short
    // transactions so that other writers of the same database are not held out for the whole import.
    std::size_t batch_size = 0;
    std::function<void(std::size_t)> progress;  // features written so far, after each batch
    // When positive, the features get the fids first_fid, first_fid + 1, … (in order, across appends) instead
    // of the ones the table would assign: a stage continues its live table's sequence (gpkg_swap.hpp).
    std::int64_t first_fid = 0;
};

TableSchema schema_from_layer(OGRLayer& layer);
std::string build_where(const TableSchema& schema, const std::vector<AttributeFilter>& filters);
Feature to_feature(const TableSchema& schema, OGRFeature& f);
void write_ogr_layer(GDALDataset& ds, const TableSchema& schema, const std::vector<Feature>& features,
                     const LayerOptions& options);
// The two halves of write_ogr_layer, for a layer written batch by batch (a streamed stage): the empty layer
// with the schema's fields, then features appended to it (`written_before` numbers them in messages and
// in the progress reported).
OGRLayer* create_ogr_layer(GDALDataset& ds, const TableSchema& schema, const LayerOptions& options);
void append_ogr_features(GDALDataset& ds, OGRLayer& layer, const TableSchema& schema, const std::vector<Feature>& features,
                         const LayerOptions& options, std::size_t written_before = 0);

}  // namespace minplan::store::detail
