// The intake targets' context (the shipped plan's, read once) and what a successful intake must hold:
// only rows that passed validation, with the values the template allows (docs/monitoring.md).
#pragma once

#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include "formats/text_encoding.hpp"
#include "fuzz_support.hpp"
#include "monitor/intake.hpp"
#include "store/plan_database.hpp"

namespace minplan::fuzz {

inline const monitor::IntakeContext& intake_context() {
    static const monitor::IntakeContext ctx = [] {
        auto db = store::open_database(shared_plan().string());
        return monitor::context_from_store(*db->snapshot());
    }();
    return ctx;
}

inline void check_text(const std::string& s, const char* what) {
    require(formats::is_valid_utf8(s), what, "not UTF-8");
}

inline void check_amount(const std::optional<double>& v, double hi, const char* what) {
    if (v) require(std::isfinite(*v) && *v >= 0 && *v <= hi, what, std::to_string(*v));
}

inline void check_annual(const monitor::AnnualData& d, const monitor::IntakeContext& ctx) {
    for (const auto& m : d.mines) {
        require(!m.mine_id.empty() && !m.name.empty() && !m.mineral.empty(), "mine without id, name or mineral");
        for (const auto* s : {&m.mine_id, &m.name, &m.county, &m.mineral, &m.method, &m.condition, &m.licence_no, &m.source})
            check_text(*s, "mine text");
        if (m.opened_year) require(*m.opened_year >= 1900 && *m.opened_year <= 2100, "opened_year out of range");
    }
    for (const auto& y : d.years) {
        require(y.year >= ctx.first_year && y.year <= ctx.last_year, "mine year outside the plan period");
        require(!y.mine_id.empty() && !y.mineral.empty(), "mine year without mine or mineral");
        for (const auto* s : {&y.mine_id, &y.mineral, &y.output_unit, &y.output_basis, &y.capacity_unit, &y.reserves_unit,
                              &y.area_unit, &y.green_mine, &y.source})
            check_text(*s, "mine year text");
        check_amount(y.output, 1e15, "output");
        check_amount(y.capacity, 1e15, "capacity");
        check_amount(y.mining_recovery, 100, "mining_recovery");
        check_amount(y.processing_recovery, 100, "processing_recovery");
        check_amount(y.utilisation, 100, "utilisation");
        check_amount(y.reserves_consumed, 1e15, "reserves_consumed");
        check_amount(y.reserves_new, 1e15, "reserves_new");
        check_amount(y.restoration_area, 1e15, "restoration_area");
        check_amount(y.reclamation_area, 1e15, "reclamation_area");
        if (y.output) require(!y.output_unit.empty(), "output without unit");
    }
    for (const auto& e : d.exploration) {
        require(e.year >= ctx.first_year && e.year <= ctx.last_year, "exploration year outside the plan period");
        require(!e.project_id.empty() && !e.mineral.empty() && !e.unit.empty(), "exploration without id, mineral or unit");
        for (const auto* s : {&e.project_id, &e.project_name, &e.mineral, &e.unit, &e.basis, &e.source})
            check_text(*s, "exploration text");
        check_amount(e.new_resources, 1e15, "new_resources");
    }
}

// Reads `file` as an intake: only InputError (ProblemsError included) may escape, and its message is
// bounded (the first problems and a count of the rest).
inline void run_intake(const fs::path& file) {
    const auto& ctx = intake_context();
    try {
        check_annual(monitor::read_intake({file}, ctx), ctx);
    } catch (const ProblemsError& e) {
        require(e.total() >= e.problems().size() && !e.problems().empty(), "ProblemsError without problems");
        require(std::string_view(e.what()).size() < (1u << 20), "problem message unbounded");
    } catch (const InputError& e) {
        require(*e.what() != '\0', "InputError without a message");
    }
}

}  // namespace minplan::fuzz
