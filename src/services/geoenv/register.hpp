// The green-mine register (绿色矿山名录动态管理, chapter 5 section 1): one row per event of a mine (申报, 评估,
// 入库 with its level, 复核, 退出) with its date and the third-party assessment; a mine's state on a date is
// its last event on or before that date. The allowed transitions are the plan's
// (settings.geoenv.green_register).
#pragma once

#include <string>
#include <vector>

#include "services/geoenv/geoenv.hpp"

namespace minplan::services::geoenv {

struct RegisterState {
    std::string mine_name, mine_id, state, level, since, assessment;
    bool listed = false;  // state is one of settings.listed_states (入库, 复核)
    // Where the mine is, from its latest event on or before the date that carries it.
    std::string licence_no;
    std::optional<double> lon, lat;
};

// Every mine with an event on or before `date`, in its state then.
std::vector<RegisterState> register_as_of(const Data& d, const std::string& date);

// Problems of a register's events (ordered by mine, then date as given): a first event outside the start
// states, a transition the plan does not allow, a level going down without 退出, 入库 without a level.
// Each names `row_name(i)` of the offending event. The first `accepted` events are the stored history (an
// --append): never reported themselves, only where a new event comes before one of them.
std::vector<std::string> register_problems(const Settings& s, const std::vector<RegisterEvent>& events,
                                           const std::vector<std::string>& row_names, std::size_t accepted = 0);

// Listed mines by level on `date` ({"国家级": 11, …}) and in total.
struct RegisterCounts {
    std::map<std::string, int> by_level;
    int listed = 0;
};
RegisterCounts register_counts(const Data& d, const std::string& date);

}  // namespace minplan::services::geoenv
