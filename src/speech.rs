//! Read-aloud through the browser's speech synthesis, in the visitor's
//! language when the system has a voice for it.

use omk_api::Lang;
use web_sys::{SpeechSynthesis, SpeechSynthesisUtterance};

fn synth() -> Option<SpeechSynthesis> {
    web_sys::window().and_then(|w| w.speech_synthesis().ok())
}

/// Whether this browser can speak at all.
pub fn available() -> bool {
    synth().is_some()
}

/// Speaks `text`, replacing anything still being spoken.
pub fn speak(text: &str, lang: Lang) {
    let Some(synth) = synth() else {
        return;
    };
    synth.cancel();
    let Ok(utterance) = SpeechSynthesisUtterance::new_with_text(text) else {
        return;
    };
    utterance.set_lang(lang.tag());
    utterance.set_rate(0.9);
    let prefix = match lang {
        Lang::ZhCn => "zh",
        Lang::En => "en",
    };
    let voices = synth.get_voices();
    let voice = voices
        .iter()
        .filter_map(|v| wasm_bindgen::JsCast::dyn_into::<web_sys::SpeechSynthesisVoice>(v).ok())
        .find(|v| v.lang().to_ascii_lowercase().starts_with(prefix));
    utterance.set_voice(voice.as_ref());
    synth.speak(&utterance);
}

/// Stops speaking, for example when the kiosk resets.
pub fn stop() {
    if let Some(synth) = synth() {
        synth.cancel();
    }
}
