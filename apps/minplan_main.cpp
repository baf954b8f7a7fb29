#include "cli/app.hpp"

int main(int argc, char** argv) { return minplan::cli::run(argc, argv); }
