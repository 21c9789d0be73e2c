// Whether a script says it runs on PowerShell 6 or later, where Invoke-RestMethod and Invoke-WebRequest have
// -NoProxy: `#Requires -Version 6` (or later), `#Requires -PSEdition Core`, or a #! line naming pwsh.
// Windows PowerShell 5.1 has no -NoProxy and fails on it, so without one of these msi2imds cannot add it.

export function knowsNoProxy(text: string): boolean {
  const version = /^#requires\b[^\n]*-version\s+(\d+)/im.exec(text);
  if (version && Number(version[1]) >= 6) return true;
  if (/^#requires\b[^\n]*-psedition\s+core\b/im.test(text)) return true;
  return /^#![^\n]*\bpwsh\b/.test(text);
}
