import { describe, expect, it } from "vitest";
import { languageOfPath, loadLanguage, namesOf, type FileNames, type LanguageId } from "../../src/codebase/languages/index.js";

const ALL: LanguageId[] = ["python", "go", "rust", "java", "csharp", "ruby"];
// Top-level: the describe bodies below parse at collection time.
await Promise.all(ALL.map(loadLanguage));

/** "kind name" or "kind Container.name", sorted, for compact expectations. */
function decls(names: FileNames): string[] {
  return names.declarations.map((d) => `${d.kind} ${d.container ? d.container + "." : ""}${d.name}`).sort();
}
function declared(names: FileNames): Set<string> {
  return new Set(names.declarations.map((d) => d.name));
}

describe("languageOfPath", () => {
  it("maps extensions and conventional names", () => {
    expect(languageOfPath("a/b/importer.py")).toBe("python");
    expect(languageOfPath("x.pyi")).toBe("python");
    expect(languageOfPath("cmd/main.go")).toBe("go");
    expect(languageOfPath("src/lib.rs")).toBe("rust");
    expect(languageOfPath("A.java")).toBe("java");
    expect(languageOfPath("P.CS")).toBe("csharp");
    expect(languageOfPath("lib/x.rb")).toBe("ruby");
    expect(languageOfPath("Rakefile")).toBe("ruby");
    expect(languageOfPath("README.md")).toBeUndefined();
    expect(languageOfPath("src/x.ts")).toBeUndefined();
    expect(languageOfPath(".py")).toBeUndefined();
    expect(languageOfPath("Makefile")).toBeUndefined();
  });
});

describe("loadLanguage", () => {
  it("is idempotent and namesOf refuses an unloaded language", async () => {
    await loadLanguage("python");
    await loadLanguage("python");
    expect(namesOf("python", "x = 1").declarations).toHaveLength(1);
  });
});

describe("python", () => {
  const src = `
"""Module docstring mentioning UserImporter and import_rows."""
import os
OPENAI = os.environ["OPENAI_API_KEY"]
MAX_ROWS: int = 10
a, b = 1, 2
type Alias = list[int]

# Old name: UserImporter.import_rows
class AccountImporter(BaseImporter, mixins.Loggable):
    """Replaces UserImporter; see legacy_loader."""
    batch_size = 100
    label: str

    def load_rows(self, path):
        '''Was import_rows.'''
        self.rows = []
        self.cache, self.seen = {}, set()
        local_only = 3
        def inner():
            self.nested_attr = 1
        return parse_row(path)

    @staticmethod
    def helper(): pass

    class Options:
        verbose = False

class Color(Enum):
    RED = 1
    GREEN = 2

def parse_row(row):
    log("comment_on_github_issue")
    log("this is prose with spaces")
    log(f"{formatted_name} value")
    return row
`;
  const names = namesOf("python", src);

  it("declares module-level names, classes, methods, fields and enum members", () => {
    expect(decls(names)).toEqual([
      "class AccountImporter",
      "class AccountImporter.Options",
      "enum Color",
      "enum-member Color.GREEN",
      "enum-member Color.RED",
      "field AccountImporter.batch_size",
      "field AccountImporter.cache",
      "field AccountImporter.label",
      "field AccountImporter.nested_attr",
      "field AccountImporter.rows",
      "field AccountImporter.seen",
      "field Options.verbose",
      "function inner",
      "function parse_row",
      "method AccountImporter.helper",
      "method AccountImporter.load_rows",
      "type Alias",
      "variable MAX_ROWS",
      "variable OPENAI",
      "variable a",
      "variable b",
    ]);
    expect(names.declarations.find((d) => d.name === "AccountImporter")?.heritage).toEqual(["BaseImporter", "mixins.Loggable"]);
    expect(names.declarations.find((d) => d.name === "load_rows")?.line).toBe(15);
  });

  it("never takes names from comments or docstrings", () => {
    for (const n of ["UserImporter", "import_rows", "legacy_loader", "Old", "Replaces", "Was", "docstring"]) {
      expect(names.uses).not.toContain(n);
      expect(declared(names)).not.toContain(n);
    }
  });

  it("counts identifiers and whole-identifier strings as uses, not prose", () => {
    expect(names.uses).toEqual(expect.arrayContaining(["os", "environ", "local_only", "parse_row", "log", "formatted_name"]));
    expect(names.uses).toContain("OPENAI_API_KEY");
    expect(names.uses).toContain("comment_on_github_issue");
    for (const n of ["this", "prose", "spaces", "value"]) expect(names.uses).not.toContain(n);
    expect(new Set(names.uses).size).toBe(names.uses.length);
    expect(names.incomplete).toBeUndefined();
  });
});

describe("go", () => {
  const src =
    `// Package importer was UserImporter.
package importer

import "os"

const (
	MaxRows = 10 // was max_rows
	minRows = 1
)

var Registry = map[string]int{}

// AccountImporter replaces UserImporter.
type AccountImporter struct {
	Path, Name string
	*Base
	log.Logger
	rows []Row
}

type Loader interface {
	LoadRows(path string) error
	io.Closer
}

type ID = string

/* ImportRows was here */
func (a *AccountImporter) LoadRows(path string) error {
	const local = 1
	key := os.Getenv("OPENAI_API_KEY")
	_ = "some prose here"
	return parseRow(key, ` +
    "`raw_name`" +
    `)
}

func (g Generic[T]) Get() T { var zero T; return zero }

func parseRow(s string, t string) error { return nil }
`;
  const names = namesOf("go", src);

  it("declares package, types, fields, methods by receiver, interface methods, consts and vars", () => {
    expect(decls(names)).toEqual([
      "constant MaxRows",
      "constant minRows",
      "field AccountImporter.Base",
      "field AccountImporter.Logger",
      "field AccountImporter.Name",
      "field AccountImporter.Path",
      "field AccountImporter.rows",
      "function parseRow",
      "interface Loader",
      "method AccountImporter.LoadRows",
      "method Generic.Get",
      "method Loader.LoadRows",
      "module importer",
      "struct AccountImporter",
      "type ID",
      "variable Registry",
    ]);
    expect(names.declarations.find((d) => d.name === "AccountImporter")?.heritage).toEqual(["Base", "Logger"]);
    expect(names.declarations.find((d) => d.name === "Loader")?.heritage).toEqual(["Closer"]);
  });

  it("ignores comments, counts whole-identifier strings, not prose", () => {
    for (const n of ["UserImporter", "ImportRows", "max_rows", "replaces", "some", "prose"]) expect(names.uses).not.toContain(n);
    expect(names.uses).toEqual(expect.arrayContaining(["OPENAI_API_KEY", "raw_name", "Getenv", "key", "local", "zero"]));
  });
});

describe("rust", () => {
  const src = `//! Crate docs: UserImporter lived here.
use std::env;

/// Replaces UserImporter; import_rows is gone.
pub struct AccountImporter {
    pub path: String,
    rows: Vec<Row>,
}

pub enum Mode { Fast, Careful { retries: u32 }, Tuple(u8) }

impl AccountImporter {
    pub const LIMIT: usize = 10;
    /// Was import_rows.
    pub fn load_rows(&self) -> usize { let n = parse_row("plain_ident"); n }
}

impl<T> Loader for crate::x::Wrapper<T> {
    type Output = u8;
    fn load(&self) {}
}

pub trait Loader: Send + Named {
    type Output;
    fn load(&self);
    fn default_name(&self) -> &str { "a sentence, not a name" }
}

pub mod util { pub fn helper() {} }
pub static GLOBAL: u8 = 0;
const MAX: u8 = 1;
type Alias = u8;
macro_rules! my_macro { () => {} }
/* block comment: ghost_name */
fn parse_row(s: &str) -> usize { const LOCAL: u8 = 2; let key = env::var(r#"OPENAI_API_KEY"#); println!("{}", shown_in_macro); 0 }
`;
  const names = namesOf("rust", src);

  it("declares structs, fields, enum variants, impl and trait members, mod-level items", () => {
    expect(decls(names)).toEqual([
      "constant AccountImporter.LIMIT",
      "constant MAX",
      "enum Mode",
      "enum-member Mode.Careful",
      "enum-member Mode.Fast",
      "enum-member Mode.Tuple",
      "field AccountImporter.path",
      "field AccountImporter.rows",
      "field Careful.retries",
      "function helper",
      "function my_macro",
      "function parse_row",
      "impl Wrapper",
      "method AccountImporter.load_rows",
      "method Loader.default_name",
      "method Loader.load",
      "method Wrapper.load",
      "module util",
      "struct AccountImporter",
      "trait Loader",
      "type Alias",
      "type Loader.Output",
      "type Wrapper.Output",
      "variable GLOBAL",
    ]);
    expect(names.declarations.find((d) => d.name === "Loader" && d.kind === "trait")?.heritage).toEqual(["Send", "Named"]);
    // `impl Loader for Wrapper`: Wrapper has Loader's provided methods too.
    expect(names.declarations.find((d) => d.kind === "impl")?.heritage).toEqual(["Loader"]);
  });

  it("gives a derived type the derived traits' methods, and open members for unknown derives", () => {
    const derived = namesOf("rust", '#[derive(Debug, Clone, Default)]\n#[serde(rename_all = "camelCase")]\npub struct Config { a: u8 }\n#[derive(Builder)]\nstruct Made;\n');
    expect(decls(derived)).toEqual(expect.arrayContaining(["method Config.clone", "method Config.default", "method Config.fmt", "impl Made"]));
    expect(derived.declarations.find((d) => d.kind === "impl")?.heritage).toEqual(["Builder"]);
  });

  it("ignores doc and block comments; counts whole strings (raw too) and macro arguments", () => {
    for (const n of ["UserImporter", "import_rows", "ghost_name", "Crate", "sentence"]) expect(names.uses).not.toContain(n);
    expect(names.uses).toEqual(expect.arrayContaining(["plain_ident", "OPENAI_API_KEY", "shown_in_macro", "env", "LOCAL"]));
  });
});

describe("java", () => {
  const src = `package com.acme.importer;
/** Replaces UserImporter. */
public class AccountImporter extends BaseImporter implements Loader, Closeable {
  private int rows, cols; // legacyRows
  static final String KEY = "OPENAI_API_KEY";
  public void loadRows() { String s = "not a name"; }
  enum Mode { FAST, SLOW; void describe() {} }
  interface Hook { int LIMIT = 1; void fire(); }
  record Point(int x, int y) {}
}`;
  const names = namesOf("java", src);
  it("declares classes, members with containers, enum constants, record components", () => {
    expect(decls(names)).toEqual([
      "class AccountImporter",
      "class AccountImporter.Point",
      "constant Hook.LIMIT",
      "enum AccountImporter.Mode",
      "enum-member Mode.FAST",
      "enum-member Mode.SLOW",
      "field AccountImporter.KEY",
      "field AccountImporter.cols",
      "field AccountImporter.rows",
      "field Point.x",
      "field Point.y",
      "interface AccountImporter.Hook",
      "method AccountImporter.loadRows",
      "method Hook.fire",
      "method Mode.describe",
      "module com.acme.importer",
    ]);
    expect(names.declarations.find((d) => d.name === "AccountImporter")?.heritage).toEqual(["BaseImporter", "Loader", "Closeable"]);
    expect(names.uses).toContain("OPENAI_API_KEY");
    expect(names.uses).not.toContain("UserImporter");
    expect(names.uses).not.toContain("legacyRows");
  });
});

describe("csharp", () => {
  const src = `namespace Acme.Import;
/// <summary>Replaces UserImporter.</summary>
public class AccountImporter : BaseImporter, ILoader {
  private int rows, cols;
  const int Limit = 3;
  public string Path { get; set; }
  public event EventHandler Loaded;
  public void LoadRows() { var k = "OPENAI_API_KEY"; var t = $"{interpolated} text"; var v = @"verbatim_name"; }
  enum Mode { Fast, Slow }
}
interface ILoader { void Load(); }
struct Point { public int X; }
public record Person(string Name);`;
  const names = namesOf("csharp", src);
  it("declares types and members with containers", () => {
    expect(decls(names)).toEqual([
      "class AccountImporter",
      "class Person",
      "constant AccountImporter.Limit",
      "enum AccountImporter.Mode",
      "enum-member Mode.Fast",
      "enum-member Mode.Slow",
      "field AccountImporter.Loaded",
      "field AccountImporter.Path",
      "field AccountImporter.cols",
      "field AccountImporter.rows",
      "field Person.Name",
      "field Point.X",
      "interface ILoader",
      "method AccountImporter.LoadRows",
      "method ILoader.Load",
      "module Acme.Import",
      "struct Point",
    ]);
    expect(names.uses).toEqual(expect.arrayContaining(["OPENAI_API_KEY", "verbatim_name", "interpolated"]));
    expect(names.uses).not.toContain("UserImporter");
    expect(names.uses).not.toContain("text");
  });
});

describe("ruby", () => {
  const src = `# UserImporter was renamed
module Importers
  class AccountImporter < Base::Importer
    attr_accessor :path, :rows
    LIMIT = 10
    def load_rows
      @cache = {}
      ENV.fetch("OPENAI_API_KEY")
      puts "a sentence here"
      helper(mode: :fast)
    end
    def self.build; end
  end
end
=begin
legacy_block_name
=end
def top_level; end
`;
  const names = namesOf("ruby", src);
  it("declares modules, classes, methods, attributes, constants and ivars", () => {
    expect(decls(names)).toEqual([
      "class Importers.AccountImporter",
      "constant AccountImporter.LIMIT",
      "field AccountImporter.cache",
      "field AccountImporter.path",
      "field AccountImporter.rows",
      "function top_level",
      "method AccountImporter.build",
      "method AccountImporter.load_rows",
      "module Importers",
    ]);
    expect(names.declarations.find((d) => d.name === "AccountImporter")?.heritage).toEqual(["Base::Importer"]);
    expect(names.uses).toEqual(expect.arrayContaining(["OPENAI_API_KEY", "fast", "mode", "cache", "ENV"]));
    for (const n of ["UserImporter", "legacy_block_name", "sentence"]) expect(names.uses).not.toContain(n);
  });
});

describe("bounds", () => {
  it("cuts input past maxChars at a line end and says so", () => {
    const src = Array.from({ length: 2000 }, (_, i) => `name_${i} = ${i}`).join("\n");
    const names = namesOf("python", src, { maxChars: 1000 });
    expect(names.incomplete).toBe("truncated");
    expect(declared(names)).toContain("name_0");
    expect(declared(names)).not.toContain("name_1999");
  });

  it("stops at the time budget on pathological input and says so, and the parser still works after", () => {
    // Deep unclosed nesting makes tree-sitter's error recovery work hard. A budget already spent
    // makes the cancel certain whatever the machine's speed: no stopwatch in the test (a hang is
    // the test timeout's to catch).
    const nasty = "x = " + "([{".repeat(150_000) + "\n" + "def f(:\n".repeat(20_000);
    const names = namesOf("python", nasty, { timeoutMs: -1, maxChars: 10_000_000 });
    expect(names).toEqual({ declarations: [], uses: [], incomplete: "timeout" });
    // A cancelled parse must not leak into the next one.
    expect(decls(namesOf("python", "class Fresh:\n  def m(self): pass\n"))).toEqual(["class Fresh", "method Fresh.m"]);
  });

  it("walks deeply nested valid code without overflowing the stack", () => {
    const depth = 20_000;
    const src = "fn main() { let v = " + "(".repeat(depth) + "deep_leaf" + ")".repeat(depth) + "; }";
    const names = namesOf("rust", src, { timeoutMs: 10_000 });
    expect(names.incomplete).toBeUndefined();
    expect(names.uses).toContain("deep_leaf");
  });

  it("copes with binary junk", () => {
    const junk = Array.from({ length: 5000 }, (_, i) => String.fromCharCode((i * 7919) % 65_000)).join("");
    for (const id of ALL) expect(() => namesOf(id, junk)).not.toThrow();
  });
});

describe("baseTypeName", async () => {
  const { baseTypeName } = await import("../../src/codebase/languages/walk.js");
  it("reduces type expressions to the plain name", () => {
    expect(["*S", "G[T]", "S<T>", "crate::x::Y", "a.b.C", "&'a mut X", "dyn X", "[u8]"].map(baseTypeName)).toEqual(["S", "G", "S", "Y", "C", "X", "X", ""]);
  });
});
