//! `tamperproof flask decode | verify | sign`: the Flask row of the format table, with
//! Flask's option names.

use crate::FlaskCommand;
use crate::commands::{Outcome, decode_as, sign, verify};
use crate::formats::Format;
use crate::input::read_text;
use crate::options::SignerArgs;

pub(crate) fn run(command: FlaskCommand, python: bool) -> Outcome {
    match command {
        FlaskCommand::Decode { token } => decode_as(Format::Flask, &token.read()?, python),
        FlaskCommand::Verify {
            token,
            mut keys,
            max_age,
            salt,
        } => {
            let signer = SignerArgs {
                salt,
                ..SignerArgs::default()
            };
            verify(
                Some(Format::Flask),
                &token.read()?,
                &mut keys,
                &signer,
                max_age,
                python,
            )
        }
        FlaskCommand::Sign {
            session,
            mut keys,
            salt,
        } => {
            let signer = SignerArgs {
                salt,
                ..SignerArgs::default()
            };
            sign(
                Format::Flask,
                read_text(&session)?.as_bytes(),
                &mut keys,
                &signer,
                None,
            )
        }
    }
}
