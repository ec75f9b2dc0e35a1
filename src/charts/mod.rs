//! Pure drawing functions: each takes a canvas and the data it shows, and keeps no app state.

pub mod boundary;
pub mod canvas;
pub mod collapse;
pub mod feature_space;
pub mod label_plane;
pub mod loss;
pub mod marks;
pub mod palette;
pub mod plot;
