#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace tpx::compare {
namespace {

std::string_view ansi(Style s) {
  switch (s) {
    case Style::good: return "\x1b[32m";
    case Style::bad: return "\x1b[1;31m";
    case Style::warn: return "\x1b[33m";
    case Style::dim: return "\x1b[2m";
    case Style::strong: return "\x1b[1m";
    case Style::plain: break;
  }
  return "";
}

std::string paint(const std::string& text, Style s, bool color) {
  if (!color || s == Style::plain) return text;
  return fmt::format("{}{}\x1b[0m", ansi(s), text);
}

std::string pad(const std::string& text, std::size_t width, Align align) {
  const std::size_t w = display_width(text);
  const std::string fill(width > w ? width - w : 0, ' ');
  return align == Align::right ? fill + text : text + fill;
}

void render_text(const Report& report, bool color, std::ostream& out) {
  bool first = true;
  for (const Section& s : report.sections) {
    if (!first) out << '\n';
    first = false;
    out << paint(s.title, Style::strong, color) << '\n';
    for (const Note& n : s.notes)
      out << (n.warning ? paint("  warning: ", Style::warn, color) : std::string("  note: "))
          << n.text << '\n';
    if (!s.table || s.table->rows.empty()) continue;
    const Table& t = *s.table;
    std::vector<std::size_t> width(t.columns.size(), 0);
    for (std::size_t c = 0; c < t.columns.size(); ++c) width[c] = display_width(t.columns[c].header);
    for (const auto& row : t.rows)
      for (std::size_t c = 0; c < row.size() && c < width.size(); ++c)
        width[c] = std::max(width[c], display_width(row[c].text));
    std::string line = " ";
    for (std::size_t c = 0; c < t.columns.size(); ++c)
      line += " " + pad(t.columns[c].header, width[c], t.columns[c].align) + " ";
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << paint(line, Style::dim, color) << '\n';
    for (const auto& row : t.rows) {
      std::string text = " ";
      for (std::size_t c = 0; c < row.size() && c < width.size(); ++c)
        text += " " + paint(pad(row[c].text, width[c], t.columns[c].align), row[c].style, color) + " ";
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out << text << '\n';
    }
  }
}

std::string md_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

// Blocks (a heading, a list of notes, a table) separated by one blank line.
void render_markdown(const Report& report, std::ostream& out) {
  std::vector<std::string> blocks;
  for (const Section& s : report.sections) {
    blocks.push_back("### " + md_escape(s.title) + "\n");
    if (!s.notes.empty()) {
      std::string notes;
      for (const Note& n : s.notes) notes += (n.warning ? "- **warning:** " : "- ") + md_escape(n.text) + "\n";
      blocks.push_back(std::move(notes));
    }
    if (!s.table || s.table->rows.empty()) continue;
    const Table& t = *s.table;
    std::string table = "|";
    for (const auto& c : t.columns) table += " " + md_escape(c.header) + " |";
    table += "\n|";
    for (const auto& c : t.columns) table += c.align == Align::right ? " ---: |" : " --- |";
    table += "\n";
    for (const auto& row : t.rows) {
      table += "|";
      for (const auto& cell : row) {
        const std::string text = md_escape(cell.text);
        const bool bold = (cell.style == Style::bad || cell.style == Style::strong) && !text.empty();
        table += " " + (bold ? "**" + text + "**" : text) + " |";
      }
      table += "\n";
    }
    blocks.push_back(std::move(table));
  }
  for (std::size_t i = 0; i < blocks.size(); ++i) out << (i ? "\n" : "") << blocks[i];
}

std::string csv_field(const Cell& cell) {
  const std::string text = cell.number ? fmt::format("{}", *cell.number) : cell.text;
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

void render_csv(const Report& report, std::ostream& out, std::ostream& err) {
  bool first = true;
  for (const Section& s : report.sections) {
    for (const Note& n : s.notes)
      err << "tpx-compare: " << (n.warning ? "warning: " : "note: ") << n.text << '\n';
    if (!s.table || s.table->rows.empty()) continue;
    if (!first) out << '\n';
    first = false;
    out << "section";
    for (const auto& c : s.table->columns) out << ',' << csv_field(Cell{c.header, {}, {}});
    out << '\n';
    for (const auto& row : s.table->rows) {
      out << csv_field(Cell{s.title, {}, {}});
      for (const auto& cell : row) out << ',' << csv_field(cell);
      out << '\n';
    }
  }
}

void render_json(const Report& report, std::ostream& out) {
  nlohmann::ordered_json doc;
  doc["sections"] = nlohmann::ordered_json::array();
  for (const Section& s : report.sections) {
    nlohmann::ordered_json js;
    js["title"] = s.title;
    js["notes"] = nlohmann::ordered_json::array();
    for (const Note& n : s.notes) js["notes"].push_back({{"warning", n.warning}, {"text", n.text}});
    js["rows"] = nlohmann::ordered_json::array();
    if (s.table) {
      for (const auto& row : s.table->rows) {
        nlohmann::ordered_json r = nlohmann::ordered_json::object();
        for (std::size_t c = 0; c < row.size() && c < s.table->columns.size(); ++c) {
          const auto& cell = row[c];
          if (cell.number)
            r[s.table->columns[c].header] = *cell.number;
          else
            r[s.table->columns[c].header] = cell.text;
        }
        js["rows"].push_back(std::move(r));
      }
    }
    doc["sections"].push_back(std::move(js));
  }
  // Replace invalid UTF-8 rather than throw: names come from input files.
  out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace

std::size_t display_width(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void render(const Report& report, Format format, bool color, std::ostream& out, std::ostream& err) {
  switch (format) {
    case Format::text: render_text(report, color, out); break;
    case Format::markdown: render_markdown(report, out); break;
    case Format::csv: render_csv(report, out, err); break;
    case Format::json: render_json(report, out); break;
  }
}

}  // namespace tpx::compare
