// HTML → PDF with headless Chromium (fonts-noto-cjk renders the Chinese). The one place that runs
// Chromium: `minplan check --format pdf` and GET /api/reviews/{id}/opinion.pdf both call it.
#pragma once

#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace minplan::rules {

// Chromium is not installed (not on PATH): the HTTP portal answers 503, the CLI reports the IoError.
class ChromiumMissing : public IoError {
public:
    using IoError::IoError;
};

// Prints `html` to the PDF file `pdf`. Safe to call from several threads at once (each call has its own
// temporary directory and Chromium profile). Throws ChromiumMissing or IoError.
void html_to_pdf(const std::string& html, const std::filesystem::path& pdf);
// Prints the page at `url` (a portal page that draws itself with script, e.g. the map print view) after
// letting it load and render (Chromium's virtual time budget). Same errors as html_to_pdf.
void url_to_pdf(const std::string& url, const std::filesystem::path& pdf);

}  // namespace minplan::rules
