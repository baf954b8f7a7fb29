// The one test object that knows the paths of this checkout (tests/test_paths.hpp).
namespace minplan::testing::paths {
const char* binary() { return MINPLAN_BINARY_PATH; }
const char* source_dir() { return MINPLAN_SOURCE_DIR_PATH; }
const char* build_dir() { return MINPLAN_BUILD_DIR_PATH; }
const char* test_data() { return MINPLAN_TEST_DATA_PATH; }
}  // namespace minplan::testing::paths
