// What a grader harness is on the grader's side: the API a submission compiles against, what `lab new` writes, and what its cases measure.
//
// A lab's `harness` names one of these (HARNESSES in index.ts); its child side, which binds and runs a
// submission inside the sandbox, is listed in sandbox/children.ts under the same name. A lab naming a
// harness that is not implemented is refused when it loads, with the list of harnesses.

/** The sources behind the `vmlab` module a submission imports, by file name (`api.ts`, `arch.ts`): `vmlab` re-exports them all. */
export interface ApiSources {
  readonly files: Readonly<Record<string, string>>;
}

export interface Harness {
  readonly name: string;
  /** One line for `lab new --help` and error messages. */
  readonly describe: string;
  /** The export a submission's entry module provides unless lab.yaml says `export:`. */
  readonly exportName: string;
  /** The type-checking API: what `import ... from "vmlab"` means in a submission. */
  apiSources(root: string): ApiSources;
  /** Does an import specifier of a submission name the API? (`vmlab`, and the relative spellings solutions/ uses.) */
  isApiSpecifier(specifier: string): boolean;
  /** Files `vmlab lab new` writes for a lab on this harness, relative to the package root, besides lab.yaml. */
  scaffold(id: string, title: string): Readonly<Record<string, string>>;
  /** The lab.yaml `suites:` and `rubric:` blocks `lab new` starts from. */
  readonly scaffoldYaml: (id: string) => string;
}
