// XML documents through libxml2's xmlTextWriter (escaping and encoding are libxml2's), for the QGIS
// styles, project and metadata written into a plan database.
#pragma once

#include <memory>
#include <string>

namespace minplan::formats {

class XmlWriter {
public:
    XmlWriter();  // starts a UTF-8 document
    ~XmlWriter();
    XmlWriter(const XmlWriter&) = delete;
    XmlWriter& operator=(const XmlWriter&) = delete;

    void doctype(const std::string& name, const std::string& pubid, const std::string& sysid);
    XmlWriter& open(const std::string& name);
    XmlWriter& attr(const std::string& name, const std::string& value);
    XmlWriter& attr(const std::string& name, double value);
    XmlWriter& text(const std::string& value);
    XmlWriter& close();
    // <name>value</name>
    XmlWriter& leaf(const std::string& name, const std::string& value);
    // Closes every open element and returns the document.
    std::string finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// "0.45" rather than "0.450000": numbers as a person would write them.
std::string short_number(double v);

}  // namespace minplan::formats
