// Which imports of a binary-translation lab's submission name its API: `vmlab`, or the relative paths into the package's own sources that solutions/ uses.
export function isBtApiSpecifier(specifier: string): boolean {
  return specifier === "vmlab" || /^(\.\.?\/)+(?:[\w.-]+\/)*src\/(index|vmm\/api|vmm\/bt-api|isa\/arch)(\.js|\.ts)?$/.test(specifier);
}
