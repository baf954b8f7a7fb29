// Where the tests find the binary, the source tree and the build tree. Only tests/test_paths.cpp is compiled
// with these paths (as compile definitions), so every other test object is the same in any checkout and
// build directory and a compiler cache shares it between worktrees. Force-included into every test source
// (CMakeLists.txt), so a test uses MINPLAN_BINARY etc. as before.
#pragma once

namespace minplan::testing::paths {
const char* binary();
const char* source_dir();
const char* build_dir();
const char* test_data();
}  // namespace minplan::testing::paths

#define MINPLAN_BINARY (::minplan::testing::paths::binary())
#define MINPLAN_SOURCE_DIR (::minplan::testing::paths::source_dir())
#define MINPLAN_BUILD_DIR (::minplan::testing::paths::build_dir())
#define MINPLAN_TEST_DATA (::minplan::testing::paths::test_data())
