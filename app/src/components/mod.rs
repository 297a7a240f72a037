//! The parts of kort's pages that are not the map.

pub mod article;
pub mod corrections;
pub mod feature_list;
pub mod layer_control;
pub mod marks;
pub mod meta;
pub mod panel;
pub mod share;
pub mod site;
pub mod sources;
pub mod timeline;
