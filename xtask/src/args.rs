//! A small hand-written argument parser: flags, and options with values given as
//! `--name value` or `--name=value`.

/// The arguments after the task name, consumed option by option.
pub(crate) struct Args {
    rest: Vec<String>,
}

impl Args {
    pub(crate) const fn new(args: Vec<String>) -> Self {
        Self { rest: args }
    }

    /// Whether `--name` is present (every occurrence is consumed).
    pub(crate) fn flag(&mut self, name: &str) -> bool {
        let before = self.rest.len();
        self.rest.retain(|arg| arg != name);
        self.rest.len() != before
    }

    /// Every value of a repeatable option.
    pub(crate) fn values(&mut self, name: &str) -> Result<Vec<String>, String> {
        let prefix = format!("{name}=");
        let mut values = Vec::new();
        let mut rest = Vec::with_capacity(self.rest.len());
        let mut iter = std::mem::take(&mut self.rest).into_iter();
        while let Some(arg) = iter.next() {
            if arg == name {
                match iter.next() {
                    Some(value) if !value.starts_with("--") => values.push(value),
                    _ => return Err(format!("{name} needs a value")),
                }
            } else if let Some(value) = arg.strip_prefix(&prefix) {
                values.push(value.to_owned());
            } else {
                rest.push(arg);
            }
        }
        self.rest = rest;
        Ok(values)
    }

    /// The value of an option given at most once.
    pub(crate) fn value(&mut self, name: &str) -> Result<Option<String>, String> {
        let mut values = self.values(name)?;
        if values.len() > 1 {
            return Err(format!("{name} is given more than once"));
        }
        Ok(values.pop())
    }

    /// The value of an option parsed as a number.
    pub(crate) fn number<T: std::str::FromStr>(&mut self, name: &str) -> Result<Option<T>, String> {
        self.value(name)?
            .map(|v| {
                v.parse()
                    .map_err(|_| format!("{name}: {v:?} is not a valid number"))
            })
            .transpose()
    }

    /// Fails on anything left over.
    pub(crate) fn finish(self) -> Result<(), String> {
        match self.rest.first() {
            None => Ok(()),
            Some(arg) => Err(format!(
                "unexpected argument {arg:?} (see `cargo xtask help`)"
            )),
        }
    }
}
