//! The parts of the story page that are not the map.

pub mod article;
pub mod feature_list;
pub mod layer_control;
pub mod meta;
pub mod panel;
pub mod share;
