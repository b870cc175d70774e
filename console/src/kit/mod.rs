//! The console's component kit: what every screen draws the same way. Tables from column
//! definitions, selects from option lists, labelled fields, the pager, loaded data, and
//! the editor frame whose Save runs the request as an action. The screens keep their
//! rules as plain data and only say what to show.

pub mod editor;
pub mod fields;
pub mod loaded;
pub mod pager;
pub mod select;
pub mod submit;
pub mod table;

pub use editor::{ActionForm, EditBar, Editor, EditorIds};
pub use fields::{CheckField, TextField};
pub use loaded::{Loaded, Loading};
pub use pager::{Pager, Pages, Paging};
pub use select::{Choice, Select, Units, category_choices, unit_choices};
pub use submit::{Checked, Submit};
pub use table::{Column, EditButton, Empty, RowMarks, Table};
