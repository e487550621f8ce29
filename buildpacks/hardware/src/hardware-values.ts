// The hardware targets hardware.txt may name. Its own module so the parser and the error texts both
// read it without importing each other.
export const HARDWARE = ["cpu", "cuda", "aws", "coral"] as const;
export type Hardware = (typeof HARDWARE)[number];

export function isHardware(v: string): v is Hardware {
  return (HARDWARE as readonly string[]).includes(v);
}
