//! The names behind the ids the API sends (units, categories), loaded once per session for
//! display, in the current language; an id with no known name is shown as it is.

use leptos::prelude::*;
use omk_api::{AdminCategory, Category, Entry, Lang};

use crate::client::{ApiError, Client};
use crate::session::Auth;

/// A category with its names and, for admins, its routing target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryName {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub active: bool,
}

impl CategoryName {
    /// The name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }
}

/// Every unit and category the operator may meet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub units: Vec<Entry>,
    pub categories: Vec<CategoryName>,
}

impl Names {
    /// The unit's name in `lang`, or its id when it is unknown.
    pub fn unit(&self, id: &str, lang: Lang) -> String {
        self.units
            .iter()
            .find(|u| u.id == id)
            .map_or_else(|| id.to_owned(), |u| u.name(lang).to_owned())
    }

    /// The category's name in `lang`, or its id when it is unknown.
    pub fn category(&self, id: &str, lang: Lang) -> String {
        self.categories
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_owned(), |c| c.name(lang).to_owned())
    }

    /// The units an issue can be handed to: active ones, in order.
    pub fn active_units(&self) -> Vec<Entry> {
        let mut units: Vec<Entry> = self.units.iter().filter(|u| u.active).cloned().collect();
        units.sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.id.cmp(&b.id)));
        units
    }
}

impl From<AdminCategory> for CategoryName {
    fn from(c: AdminCategory) -> Self {
        CategoryName {
            id: c.id,
            name_zh: c.name_zh,
            name_en: c.name_en,
            active: c.active,
        }
    }
}

impl From<Category> for CategoryName {
    fn from(c: Category) -> Self {
        CategoryName {
            id: c.id,
            name_zh: c.name_zh,
            name_en: c.name_en,
            active: true,
        }
    }
}

/// The names context: loaded when someone signs in, reloaded after reference data changes.
#[derive(Clone, Copy)]
pub struct NamesContext {
    resource: LocalResource<Names>,
}

impl NamesContext {
    /// The names known so far (tracked): none while loading.
    pub fn get(&self) -> Names {
        self.resource.get().unwrap_or_default()
    }

    /// Loads them again.
    pub fn reload(&self) {
        self.resource.refetch();
    }
}

/// Loads the names for whoever is signed in: admins get every entry, retired ones
/// included; unit operators, who may not read the admin lists, get the public, active ones
/// (so does an admin whose role changed since signing in: the admin lists answer 403).
async fn load(client: Client, admin: bool) -> Result<Names, ApiError> {
    if admin {
        match every_name(client).await {
            Err(refused) if refused.status() == Some(403) => {}
            loaded => return loaded,
        }
    }
    let units = client.get::<Vec<Entry>>("/units").await?;
    let categories = client.get::<Vec<Category>>("/categories").await?;
    Ok(Names {
        units,
        categories: categories.into_iter().map(Into::into).collect(),
    })
}

/// Every unit and category, retired ones included: the admin lists.
async fn every_name(client: Client) -> Result<Names, ApiError> {
    let units = client.get::<Vec<Entry>>("/admin/units").await?;
    let categories = client
        .get::<Vec<AdminCategory>>("/admin/categories")
        .await?;
    Ok(Names {
        units,
        categories: categories.into_iter().map(Into::into).collect(),
    })
}

/// Provides the names context; it follows who is signed in.
pub fn provide_names(client: Client, auth: Auth) -> NamesContext {
    let resource = LocalResource::new(move || {
        let signed_in = auth.session().is_some();
        let admin = auth.is_admin();
        async move {
            if signed_in {
                // Without names the console still works: ids are shown instead.
                load(client, admin).await.unwrap_or_default()
            } else {
                Names::default()
            }
        }
    });
    let names = NamesContext { resource };
    provide_context(names);
    names
}

/// The names context of the console.
pub fn use_names() -> NamesContext {
    expect_context::<NamesContext>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, position: i64, active: bool) -> Entry {
        Entry {
            id: id.into(),
            name_zh: format!("{id}局"),
            name_en: format!("{id} bureau"),
            position,
            active,
        }
    }

    #[test]
    fn unknown_ids_are_shown_as_they_are() {
        let names = Names {
            units: vec![entry("traffic", 1, true)],
            categories: vec![],
        };
        assert_eq!(names.unit("traffic", Lang::ZhCn), "traffic局");
        assert_eq!(names.unit("traffic", Lang::En), "traffic bureau");
        assert_eq!(names.unit("gone", Lang::En), "gone");
        assert_eq!(names.category("parking", Lang::En), "parking");
    }

    #[test]
    fn issues_go_only_to_active_units_in_order() {
        let names = Names {
            units: vec![
                entry("b", 2, true),
                entry("old", 0, false),
                entry("a", 1, true),
            ],
            categories: vec![],
        };
        let ids: Vec<_> = names.active_units().into_iter().map(|u| u.id).collect();
        assert_eq!(ids, ["a", "b"]);
    }
}
