//! Phase timings on standard error when `BROADSHEET_TIMINGS=1` (wall and
//! CPU time per phase, resident and peak memory): a leaf module, used by
//! the build, `serve`'s live rebuilds and the search index writer.

/// Phase timings on standard error when `BROADSHEET_TIMINGS=1`, to see
/// where a build's time goes. Holds, when on, the time the current lap
/// started and the CPU time used by then; `None` when off.
pub struct Timer(Option<(std::time::Instant, f64)>);

impl Timer {
    /// A timer started now when `BROADSHEET_TIMINGS=1`, else one whose
    /// laps print nothing.
    pub fn from_env() -> Timer {
        Timer(
            (std::env::var("BROADSHEET_TIMINGS").as_deref() == Ok("1")).then(|| (std::time::Instant::now(), cpu_ms())),
        )
    }

    /// Prints the wall time and the CPU time (all threads) since the last
    /// lap, with resident and peak memory.
    pub fn lap(&mut self, phase: &str) {
        if let Some((started, cpu)) = self.0 {
            // Resident and peak memory, where the system says (Linux).
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |name: &str| {
                status
                    .lines()
                    .find(|l| l.starts_with(name))
                    .map(|l| l[name.len()..].trim().to_string())
                    .unwrap_or_default()
            };
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            let now = cpu_ms();
            let used = now - cpu;
            eprintln!(
                "timing: {phase:<16} {ms:>7.1} ms  cpu {used:>6.0} ms   rss {}  peak {}",
                field("VmRSS:"),
                field("VmHWM:")
            );
            self.0 = Some((std::time::Instant::now(), now));
        }
    }
}

/// The CPU time this process has used (user and system, all threads), in
/// milliseconds, where the system says (Linux: /proc/self/stat, in ticks
/// of 10 ms); 0 elsewhere.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which may hold spaces), from the
    // third: utime and stime are the 14th and 15th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: f64 = after.split_whitespace().skip(11).take(2).filter_map(|t| t.parse::<f64>().ok()).sum();
    ticks * 10.0
}
