import os from "node:os";

/** One line that says where and when the numbers were taken; they mean little without it. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  return `${new Date().toISOString()} · node ${process.version} · ${os.platform()} ${os.release()} · ${os.cpus().length}× ${cpu} · ${Math.round(os.totalmem() / 2 ** 30)} GiB · load ${load}`;
}

export function machineInfo() {
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg(),
  };
}
