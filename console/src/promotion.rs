//! Promoting a letter or a published comment to a proposal for the month's topic
//! (moderators and admins): the month whose cycle still takes proposals, the proposal's
//! public wording (written anew: a private letter's words are not copied out) and its
//! district. The letter and collection screens show it behind a button; the server links
//! both ends and publishes the proposal at once.

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::cycle::{CycleStage, CycleView, Month};
use omk_api::reference::Entry;
use omk_api::{FieldError, NewProposal, Promotion, ProposalReceipt};

use crate::client::{ApiError, Client};
use crate::feedback::FormState;
use crate::i18n::use_i18n;
use crate::kit::{ActionForm, Choice, Loaded, Select, Submit, TextField};

/// The form's fields, as the API names them.
pub const FIELDS: [&str; 4] = ["month", "title", "text", "district"];

/// Whether a cycle at `stage` takes a promoted proposal (the server's rule).
pub fn takes_proposals(stage: CycleStage) -> bool {
    matches!(stage, CycleStage::Soliciting | CycleStage::Screening)
}

/// A promotion as typed; the month comes from the cycle taking proposals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PromotionForm {
    pub title: String,
    pub text: String,
    /// A district id.
    pub district: String,
}

impl PromotionForm {
    /// The promotion into `month`, or every problem at once.
    pub fn to_input(&self, month: Month) -> Result<Promotion, Vec<FieldError>> {
        let input = Promotion {
            month,
            title: self.title.trim().to_owned(),
            text: self.text.trim().to_owned(),
            district: self.district.trim().to_owned(),
        };
        input.validate().map(|()| input)
    }
}

/// Where the promotion goes: the month whose cycle takes proposals now, if any, and the
/// districts to choose from.
#[derive(Debug, Clone, PartialEq)]
struct Target {
    month: Option<(Month, CycleStage)>,
    districts: Vec<Entry>,
}

/// Loads the current cycle (none is no month taking proposals) and the active districts.
async fn target(client: Client) -> Result<Target, ApiError> {
    let month = match client.get::<CycleView>("/cycle").await {
        Ok(cycle) => Some((cycle.month, cycle.stage)),
        Err(e) if e.status() == Some(404) => None,
        Err(e) => return Err(e),
    };
    let districts = client.get::<Vec<Entry>>("/districts").await?;
    Ok(Target {
        month: month.filter(|(_, stage)| takes_proposals(*stage)),
        districts,
    })
}

/// The promotion form, for the month taking proposals; or, when none does, says so.
#[component]
pub fn Promote(
    /// The promotion's path (`/admin/letters/{code}/promotion`, …).
    path: String,
    /// Called with the proposal's code once promoted.
    done: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let found = LocalResource::new(move || target(client));
    let path = StoredValue::new(path);
    let show = move |target: Target| match target.month {
        Some((month, stage)) => view! {
            <PromoteInto month stage districts=target.districts path=path.get_value() done />
        }
        .into_any(),
        None => view! {
            <p class="note" data-testid="promotion-closed">{move || i18n.t("promotion.closed")}</p>
        }
        .into_any(),
    };
    view! { <Loaded resource=found show /> }
}

/// The form itself.
#[component]
fn PromoteInto(
    /// The month whose cycle takes proposals.
    month: Month,
    /// Its stage.
    stage: CycleStage,
    /// The districts to choose from.
    districts: Vec<Entry>,
    /// The promotion's path.
    path: String,
    /// Called with the proposal's code once promoted.
    done: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let form = FormState::new();
    let draft = RwSignal::new(PromotionForm::default());
    let path = StoredValue::new(path);
    let send = Submit::new(
        form,
        |_| "promotion.done",
        move |input: Promotion| async move {
            client
                .send::<_, ProposalReceipt>(Method::POST, &path.get_value(), &input)
                .await
        },
        move |_, receipt: &ProposalReceipt| done.run(receipt.code.clone()),
    );
    let options = Signal::derive(move || {
        let lang = i18n.lang();
        districts
            .iter()
            .filter(|d| d.active)
            .map(|d| Choice::new(d.id.clone(), d.name(lang)))
            .collect()
    });
    let text = move |get: fn(&PromotionForm) -> &String| {
        Signal::derive(move || draft.with(|d| get(d).clone()))
    };
    let month_text = month.to_string();
    let stage_key = stage.message_key();
    view! {
        <ActionForm heading="promotion.heading" send=send.checked(move || draft.with_untracked(|d| d.to_input(month)))
            label="promotion.send" testid="promotion-send" fields=&FIELDS feedback="promotion">
            <p class="hint">{move || i18n.t("promotion.hint")}</p>
            <p data-testid="promotion-month">
                {move || i18n.format("promotion.month", &[("month", &month_text), ("stage", i18n.shared().text(stage_key))])}
            </p>
            <TextField form field="title" id="promotion-title" label="promotion.title"
                maxlength=NewProposal::TITLE_MAX as u32 value=text(|d| &d.title)
                on_input=move |v| draft.update(|d| d.title = v) />
            <TextField form field="text" id="promotion-text" label="promotion.text" multiline=true rows=5
                maxlength=NewProposal::TEXT_MAX as u32 value=text(|d| &d.text)
                on_input=move |v| draft.update(|d| d.text = v) />
            <Select form field="district" id="promotion-district" label="promotion.district" options
                empty="promotion.choose_district" value=text(|d| &d.district)
                on_change=move |v| draft.update(|d| d.district = v) />
        </ActionForm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_month_soliciting_or_screening_takes_a_promotion() {
        let taking: Vec<_> = CycleStage::ALL
            .into_iter()
            .filter(|s| takes_proposals(*s))
            .collect();
        assert_eq!(taking, [CycleStage::Soliciting, CycleStage::Screening]);
    }

    #[test]
    fn a_promotion_needs_its_wording_and_district_and_is_trimmed() {
        let month = Month::parse("2026-05").expect("a month");
        let empty = PromotionForm::default()
            .to_input(month)
            .expect_err("refused");
        assert!(empty.iter().all(|e| FIELDS.contains(&e.field.as_str())));
        let fields: Vec<_> = empty.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "text", "district"]);
        let form = PromotionForm {
            title: " 增设夜班公交线路 ".into(),
            text: "夜班公交线路太少。".into(),
            district: "dongchangfu".into(),
        };
        let input = form.to_input(month).expect("accepted");
        assert_eq!(
            (input.title.as_str(), input.month),
            ("增设夜班公交线路", month)
        );
        let long = PromotionForm {
            title: "字".repeat(NewProposal::TITLE_MAX + 1),
            ..form
        };
        assert_eq!(
            long.to_input(month).expect_err("refused"),
            vec![FieldError::new("title", "too_long")]
        );
    }
}
