//! The run: a day at a time, planted patterns first, then the day's rows in time order.

use std::collections::VecDeque;
use std::io::{self, Write};

use super::MINUTES_PER_DAY;
use super::background::Background;
use super::calendar::{Calendar, Clock};
use super::config::Config;
use super::plant::Planter;
use super::row::{Row, format_row};
use super::stats::{Stats, Tally};
use super::world::World;

/// Rows due on later days, by day: planted patterns and the second legs of relays.
pub(super) struct Pending {
    /// The day `days[0]` holds.
    first: u32,
    days: VecDeque<Vec<Row>>,
}

impl Pending {
    pub(super) fn push(&mut self, row: Row) {
        let offset = (row.minute / MINUTES_PER_DAY - self.first) as usize;
        while self.days.len() <= offset {
            self.days.push_back(Vec::new());
        }
        self.days[offset].push(row);
    }

    /// Moves the rows due on the current day into `rows`; the day then ends, and its
    /// allocation serves a later one.
    fn take(&mut self, rows: &mut Vec<Row>) {
        self.first += 1;
        if let Some(mut due) = self.days.pop_front() {
            rows.append(&mut due);
            self.days.push_back(due);
        }
    }
}

pub(super) struct Run<'a> {
    world: &'a World,
    calendar: &'a Calendar,
    background: Background<'a>,
    planter: Planter<'a>,
    pending: Pending,
    tally: Tally,
    laundering_target: u64,
    planted: u64,
    /// The current day's rows; kept across days, since a fresh vector per day costs the kernel
    /// a page fault for every 4 KiB of it.
    rows: Vec<Row>,
    out: Vec<u8>,
}

impl<'a> Run<'a> {
    pub(super) fn new(
        config: &'a Config,
        world: &'a World,
        calendar: &'a Calendar,
        clock: &'a Clock,
    ) -> Self {
        Run {
            world,
            calendar,
            background: Background::new(config.seed, world, calendar, clock),
            planter: Planter::new(config, world, calendar, clock),
            pending: Pending {
                first: 0,
                days: VecDeque::new(),
            },
            tally: Tally::new(world.account_count()),
            laundering_target: config.transactions / config.laundering_one_in,
            planted: 0,
            rows: Vec::new(),
            out: Vec::with_capacity(1 << 20),
        }
    }

    /// Starts attempts on `day` until the laundering planted so far reaches the day's share of
    /// the target; none start on the last day, so every attempt has a day or more to run.
    pub(super) fn plant(&mut self, day: u32, sink: &mut dyn Write) -> io::Result<()> {
        let start_days = u64::from(self.calendar.days() - 1);
        if u64::from(day) >= start_days {
            return Ok(());
        }
        let target = self.laundering_target * (u64::from(day) + 1) / start_days;
        let mut block = Vec::new();
        while self.planted < target {
            let pattern = self.planter.plant(day);
            self.planted += pattern.rows.len() as u64;
            self.tally.pattern(&pattern);
            pattern.format(&mut block, self.world, self.calendar);
            pattern.rows.iter().for_each(|&row| self.pending.push(row));
        }
        sink.write_all(&block)
    }

    /// Writes `day`'s rows in time order: what is due from earlier days, salaries and bills,
    /// then ordinary payments up to the day's share of the total.
    pub(super) fn write_day(&mut self, day: u32, sink: &mut dyn Write) -> io::Result<()> {
        let mut rows = std::mem::take(&mut self.rows);
        self.pending.take(&mut rows);
        let due = rows.len();
        let budget = self
            .calendar
            .rows_by_end(day)
            .saturating_sub(self.tally.rows());
        self.background.scheduled(day, &mut rows);
        if day + 1 == self.calendar.days() {
            rows.truncate(due.max(budget as usize));
        }
        let filler = budget.saturating_sub(rows.len() as u64);
        self.background
            .filler(day, filler, &mut rows, &mut self.pending);
        rows.sort_by_key(|r| r.minute);
        for row in &rows {
            format_row(&mut self.out, row, self.world, self.calendar);
            self.tally.row(row);
            if self.out.len() >= 1 << 20 {
                sink.write_all(&self.out)?;
                self.out.clear();
            }
        }
        sink.write_all(&self.out)?;
        self.out.clear();
        rows.clear();
        self.rows = rows;
        Ok(())
    }

    pub(super) fn stats(&self, config: &Config) -> Stats {
        let banks = self.world.bank_count();
        self.tally.stats(config.accounts, banks, self.calendar)
    }
}
