// Entry point: fonts and the calm base styles first, then the app frame.
import "./fonts.css";
import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";
import { loadBundledFonts } from "./lib/fonts";

const target = document.getElementById("app");
if (!target) throw new Error("index.html lacks #app");

// The first paint waits for every bundled face, so that no text is drawn blank or
// with letters missing (see fonts.css). They are local files: this takes moments.
void loadBundledFonts().then(() => mount(App, { target }));
