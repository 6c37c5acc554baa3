// A report is what every view produces and every output format renders:
// sections with a title, notes (information and warnings) and one table.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace tpx::compare {

enum class Style { plain, good, bad, warn, dim, strong };
enum class Align { left, right };

struct Cell {
  std::string text;
  std::optional<double> number;  // machine-readable value for csv/json
  Style style = Style::plain;
};

struct Column {
  std::string header;
  Align align = Align::left;
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

struct Note {
  bool warning = false;
  std::string text;
};

struct Section {
  std::string title;
  std::vector<Note> notes;
  std::optional<Table> table;
};

struct Report {
  std::vector<Section> sections;
};

enum class Format { text, markdown, csv, json };

// `err` receives the notes of csv output, which has no place for them.
void render(const Report& report, Format format, bool color, std::ostream& out, std::ostream& err);

// Display width of UTF-8 text (one column per code point: "×", "±" are narrow).
std::size_t display_width(const std::string& s);

}  // namespace tpx::compare
