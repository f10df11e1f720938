// Which imports of a trap-lab submission name the handler API: `vmlab`, or the relative paths into the package's own sources that solutions/ uses.
export function isTrapApiSpecifier(specifier: string): boolean {
  return specifier === "vmlab" || /^(\.\.?\/)+(?:[\w.-]+\/)*src\/(index|vmm\/api|isa\/arch)(\.js|\.ts)?$/.test(specifier);
}
