// Chinese labels for the English code values stored in plan data (kind, level, control type…).
#pragma once

#include <string>

namespace minplan {

// Returns the Chinese label of a code value, or the value itself when it has none.
std::string label_zh(const std::string& code);

}  // namespace minplan
