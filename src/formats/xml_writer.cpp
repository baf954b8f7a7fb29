#include "formats/xml_writer.hpp"

#include <libxml/xmlwriter.h>

#include <fmt/format.h>

#include "core/error.hpp"

namespace minplan::formats {

struct XmlWriter::Impl {
    xmlBufferPtr buffer = nullptr;
    xmlTextWriterPtr writer = nullptr;
    bool finished = false;
};

namespace {

const xmlChar* x(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }

void ok(int rc, const char* what) {
    if (rc < 0) throw InternalError(std::string("libxml2 写 XML 失败 / xmlTextWriter failed: ") + what);
}

}  // namespace

XmlWriter::XmlWriter() : impl_(std::make_unique<Impl>()) {
    impl_->buffer = xmlBufferCreate();
    if (!impl_->buffer) throw InternalError("libxml2: xmlBufferCreate failed");
    impl_->writer = xmlNewTextWriterMemory(impl_->buffer, 0);
    if (!impl_->writer) {
        xmlBufferFree(impl_->buffer);
        throw InternalError("libxml2: xmlNewTextWriterMemory failed");
    }
    xmlTextWriterSetIndent(impl_->writer, 1);
    xmlTextWriterSetIndentString(impl_->writer, x(" "));
    ok(xmlTextWriterStartDocument(impl_->writer, nullptr, "UTF-8", nullptr), "start document");
}

XmlWriter::~XmlWriter() {
    if (impl_->writer) xmlFreeTextWriter(impl_->writer);
    if (impl_->buffer) xmlBufferFree(impl_->buffer);
}

void XmlWriter::doctype(const std::string& name, const std::string& pubid, const std::string& sysid) {
    ok(xmlTextWriterWriteDTD(impl_->writer, x(name), x(pubid), x(sysid), nullptr), "doctype");
}

XmlWriter& XmlWriter::open(const std::string& name) {
    ok(xmlTextWriterStartElement(impl_->writer, x(name)), name.c_str());
    return *this;
}

XmlWriter& XmlWriter::attr(const std::string& name, const std::string& value) {
    ok(xmlTextWriterWriteAttribute(impl_->writer, x(name), x(value)), name.c_str());
    return *this;
}

XmlWriter& XmlWriter::attr(const std::string& name, double value) { return attr(name, short_number(value)); }

XmlWriter& XmlWriter::text(const std::string& value) {
    ok(xmlTextWriterWriteString(impl_->writer, x(value)), "text");
    return *this;
}

XmlWriter& XmlWriter::close() {
    ok(xmlTextWriterEndElement(impl_->writer), "end element");
    return *this;
}

XmlWriter& XmlWriter::leaf(const std::string& name, const std::string& value) {
    ok(xmlTextWriterWriteElement(impl_->writer, x(name), x(value)), name.c_str());
    return *this;
}

std::string XmlWriter::finish() {
    if (!impl_->finished) {
        ok(xmlTextWriterEndDocument(impl_->writer), "end document");
        xmlFreeTextWriter(impl_->writer);  // flushes into the buffer
        impl_->writer = nullptr;
        impl_->finished = true;
    }
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(impl_->buffer)),
                       static_cast<std::size_t>(xmlBufferLength(impl_->buffer)));
}

// 12 significant digits: millimetres on Gauss–Krüger northings (4 000 000 m and more) survive.
std::string short_number(double v) { return fmt::format("{:.12g}", v); }

}  // namespace minplan::formats
