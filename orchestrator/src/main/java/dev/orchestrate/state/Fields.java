package dev.orchestrate.state;

import java.util.ArrayList;
import java.util.List;

/**
 * The state files are lines of tab-separated fields, read without a JSON library (a no-op run
 * must start fast). Backslash, tab and newline inside a field are escaped.
 */
final class Fields {
  private Fields() {}

  static String line(String... fields) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append('\t');
      }
      escape(sb, fields[i]);
    }
    return sb.append('\n').toString();
  }

  static void escape(StringBuilder sb, String field) {
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
  }

  static List<String> split(String line) {
    List<String> fields = new ArrayList<>();
    if (line.indexOf('\\') < 0) {
      // Nothing escaped (nearly every line): cut at the tabs.
      int from = 0;
      for (int tab = line.indexOf('\t'); tab >= 0; tab = line.indexOf('\t', from)) {
        fields.add(line.substring(from, tab));
        from = tab + 1;
      }
      fields.add(line.substring(from));
      return fields;
    }
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\t') {
        fields.add(current.toString());
        current.setLength(0);
      } else if (c == '\\' && i + 1 < line.length()) {
        char next = line.charAt(++i);
        current.append(switch (next) {
          case 't' -> '\t';
          case 'n' -> '\n';
          case 'r' -> '\r';
          default -> next;
        });
      } else {
        current.append(c);
      }
    }
    fields.add(current.toString());
    return fields;
  }

  /** A JSON-like rendering of a list of strings, for settings that a person may read in a diff. */
  static String list(List<String> items) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      quote(sb, items.get(i));
    }
    return sb.append(']').toString();
  }

  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    sb.append('"');
  }
}
