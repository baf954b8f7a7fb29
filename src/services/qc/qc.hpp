// `minplan qc`: the quality check (质检) of a plan database before it is filed or adjusted (issue 17,
// docs/qc.md). One service for the CLI, `build`, `import` and the portal: it reads only through a
// PlanStore snapshot (topology pairs from the layer's spatial index, never all pairs) and returns findings
// as values; exceptions are for a configuration naming an unknown check, layer or field.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "core/value.hpp"
#include "services/qc/catalogue.hpp"
#include "services/qc/config.hpp"
#include "store/plan_store.hpp"

namespace minplan::services::qc {

struct Finding {
    std::string check;
    Severity severity = Severity::Error;
    std::string layer;       // internal id
    std::string layer_code;  // database code
    std::string layer_name;  // Chinese
    std::int64_t fid = 0;    // 0 = not about one feature (a table row uses its fid too)
    std::string feature_id;
    std::string feature_name;
    std::optional<std::pair<double, double>> point;  // lon/lat EPSG:4490
    std::optional<store::BBox> extent;
    std::string message;       // Chinese
    nlohmann::json values;     // what was compared: {"stated": …, "computed": …, "tolerance": …}
    bool schematic = false;    // about schematic geometry: reported as 提示 whatever the check's severity
};

struct Summary {
    std::string check;
    Severity severity;
    std::size_t count = 0;
};

struct QcReport {
    std::string database;
    std::string plan_name;
    std::int64_t version = 0;
    std::string config_source;  // "qc.json" of the package, or "默认"
    std::vector<Finding> findings;

    std::size_t count(Severity s) const;
    bool has_errors() const { return count(Severity::Error) > 0; }
    std::vector<Summary> summary() const;  // per check and severity, in catalogue order
};

// Rows about to be written to a layer (an import): checked as if they replaced, or were appended to, the
// layer's features; the rest of the plan is read from the snapshot.
struct PendingLayer {
    TableSchema schema;
    const std::vector<Feature>* features = nullptr;
    bool append = false;
    // Every pending row's geometry was already found valid (GEOSisValid) by the import's reader, which
    // refuses an invalid one: the checks do not test it again (the layer's own rows still are).
    bool validated = false;
    // The rows carry the fids their findings name (the import's own numbering) and replace the layer: they
    // are read where they are, not copied and numbered 1, 2, … (a batch of the import is checked as is).
    bool own_fids = false;
};

struct QcOptions {
    std::optional<QcConfig> config;       // default: the package's qc.json, else the defaults
    std::optional<PendingLayer> pending;
    bool only_pending = false;            // check only the pending layer (and consistency tables it feeds)
};

// The package's qc.json parsed against the store's layers (InputError/ProblemsError when it names an
// unknown check, layer or field); the defaults when the package has none.
QcConfig load_config(const store::PlanStore& store, std::string* source = nullptr);

QcReport run_qc(const store::PlanStore& store, const QcOptions& options = {});

// One line for the change log and the metadata key "qc_last": counts, when, whether forced.
nlohmann::json last_result(const QcReport& report, const std::string& command, bool forced);
inline constexpr const char* kLastResultKey = "qc_last";

}  // namespace minplan::services::qc
