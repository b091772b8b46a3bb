/**
 * Driving n8n's real editor in headless Chromium (puppeteer-core, the machine's Chromium): launch,
 * log in, open a workflow and a node, pick from the campaign picker, read what the user sees, and
 * save screenshots. Every wait is bounded.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

// The callbacks given to page.evaluate (and $eval, waitForFunction) run in Chromium. The project's
// tsconfig has no DOM lib (it would retype fetch for all the Node code), so the few browser globals
// they use are declared here, for this module only.
interface InPageNode {
	nodeType: number;
	textContent: string | null;
	parentElement: InPageElement | null;
}
interface InPageElement extends InPageNode {
	innerText: string;
	value: string;
	type: string;
	childNodes: ArrayLike<InPageNode>;
	getAttribute(name: string): string | null;
	querySelector(selector: string): InPageElement | null;
	querySelectorAll(selector: string): ArrayLike<InPageElement>;
	closest(selector: string): InPageElement | null;
	checkVisibility(options?: { opacityProperty?: boolean; visibilityProperty?: boolean }): boolean;
	getBoundingClientRect(): { width: number; height: number };
}
interface InPageCssRule {
	style?: ArrayLike<string>;
	cssRules?: ArrayLike<InPageCssRule>;
}
interface InPageCanvas {
	fillStyle: string;
	clearRect(x: number, y: number, w: number, h: number): void;
	fillRect(x: number, y: number, w: number, h: number): void;
	getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
}
declare const document: {
	body: InPageElement;
	documentElement: InPageElement;
	activeElement: InPageElement | null;
	styleSheets: ArrayLike<{ cssRules: ArrayLike<InPageCssRule> }>;
	querySelector(selector: string): InPageElement | null;
	querySelectorAll(selector: string): ArrayLike<InPageElement>;
	createElement(tag: 'canvas'): {
		getContext(kind: '2d', options?: { willReadFrequently?: boolean }): InPageCanvas | null;
	};
	createTreeWalker(root: InPageElement, show: number): { nextNode(): InPageNode | null };
};
declare function getComputedStyle(
	element: InPageElement,
	pseudo?: string,
): { color: string; getPropertyValue(name: string): string };
declare const NodeFilter: { SHOW_TEXT: number };
declare const Node: { TEXT_NODE: number };

export const CHROMIUM = process.env.SIP_CALLER_CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOTS_DIR = join(__dirname, 'screenshots');

/** Default bound of every wait for something in the page. */
export const WAIT_MS = 20_000;

export interface EditorBrowser {
	browser: Browser;
	close(): Promise<void>;
}

export async function launchBrowser(): Promise<EditorBrowser> {
	const profile = mkdtempSync(join(tmpdir(), 'sip-caller-chromium-'));
	const browser = await puppeteer.launch({
		executablePath: CHROMIUM,
		headless: true,
		timeout: 60_000,
		protocolTimeout: 60_000,
		defaultViewport: { width: 1600, height: 1000 },
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--window-size=1600,1000',
			`--user-data-dir=${profile}`,
		],
	});
	return {
		browser,
		async close() {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([
				browser.close(),
				new Promise((resolve) => (timer = setTimeout(resolve, 15_000))),
			]).catch(() => undefined);
			clearTimeout(timer);
			// Still there after 15 s: kill the one process this suite started.
			if (browser.process()?.exitCode === null) browser.process()?.kill('SIGKILL');
			rmSync(profile, { recursive: true, force: true });
		},
	};
}

/** POST /rest/login as the owner; returns the value of n8n's `n8n-auth` cookie. */
export async function logIn(
	baseUrl: string,
	owner: { email: string; password: string },
): Promise<string> {
	const response = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
	if (response.status !== 200 || !cookie) {
		throw new Error(`login failed: ${response.status} ${await response.text()}`);
	}
	return cookie.split(';')[0].slice('n8n-auth='.length);
}

/** Errors the page logged (console errors and uncaught exceptions), for the report. */
export const pageErrors = new WeakMap<Page, string[]>();

/** Every request a page of this suite made to a host other than the loopback's. */
export const offLoopbackRequests: string[] = [];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function newPage(browser: Browser, baseUrl: string, authCookie: string) {
	await browser.setCookie({
		name: 'n8n-auth',
		value: authCookie,
		domain: new URL(baseUrl).hostname,
		path: '/',
		httpOnly: true,
		sameSite: 'Lax',
	});
	const page = await browser.newPage();
	page.setDefaultTimeout(WAIT_MS);
	page.setDefaultNavigationTimeout(60_000);
	const errors: string[] = [];
	pageErrors.set(page, errors);
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(message.text());
	});
	page.on('pageerror', (error) => errors.push(String(error)));
	page.on('request', (request) => {
		const url = new URL(request.url());
		if (/^(https?|wss?):$/.test(url.protocol) && !LOOPBACK.has(url.hostname)) {
			offLoopbackRequests.push(`${request.method()} ${request.url()}`);
		}
	});
	return page;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait until the page has had no request in flight for half a second (bounded, never throws). */
export async function settle(page: Page, timeout = 10_000): Promise<void> {
	await page.waitForNetworkIdle({ idleTime: 500, timeout }).catch(() => undefined);
}

const canvasNode = (name: string) => `[data-test-id="canvas-node"][data-node-name="${name}"]`;
const NDV_PARAMETERS = '[data-test-id="ndv"] [data-test-id="node-parameters"]';

/** Opens /workflow/<id> and checks that the editor let this page edit it. */
export async function openWorkflow(page: Page, baseUrl: string, id: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
	// The editor's first paint takes 10-20 s on a busy 2-CPU machine.
	await page.waitForSelector('[data-test-id="canvas-node"]', { visible: true, timeout: 60_000 });
	await settle(page);
	const text = await page.evaluate(() => document.body.innerText);
	if (text.includes('Editing in another tab')) {
		throw new Error(`workflow ${id} opened read-only: another page holds n8n's write-lock`);
	}
}

/** The text of a node on the canvas (its name and its subtitle). */
export function canvasNodeText(page: Page, name: string): Promise<string> {
	return page.$eval(canvasNode(name), (element: InPageElement) => element.innerText);
}

/** Double-clicks the node on the canvas and waits for its panel (NDV). */
export async function openNode(page: Page, name: string): Promise<void> {
	await page.waitForSelector(canvasNode(name), { visible: true });
	await page.click(canvasNode(name), { count: 2 });
	await page.waitForSelector(NDV_PARAMETERS, { visible: true });
	await settle(page);
}

export async function closeNode(page: Page): Promise<void> {
	await page.click('[data-test-id="ndv-close-button"]');
	await page.waitForSelector(NDV_PARAMETERS, { hidden: true });
}

/** The visible text of the first element matching `selector`. */
export function textOf(page: Page, selector: string): Promise<string> {
	return page.$eval(selector, (element: InPageElement) => element.innerText);
}

export const parametersText = (page: Page) => textOf(page, NDV_PARAMETERS);

/** The texts of every element matching `selector`. */
export function textsOf(page: Page, selector: string): Promise<string[]> {
	return page.$$eval(selector, (elements) =>
		elements.map((element: InPageElement) => element.innerText.trim()),
	);
}

/** What the input inside the first element matching `selector` holds. */
export function inputValueOf(page: Page, selector: string): Promise<string | undefined> {
	return page.$eval(
		selector,
		(element: InPageElement) => element.querySelector('input')?.value ?? undefined,
	);
}

/** Waits (bounded) until one of the elements matching `selector` is visible (waitForSelector looks at the first only). */
export async function waitForVisible(page: Page, selector: string, timeout = WAIT_MS) {
	await page.waitForFunction(
		(where: string) =>
			Array.from(document.querySelectorAll(where)).some((element) =>
				element.checkVisibility({ opacityProperty: true, visibilityProperty: true }),
			),
		{ timeout },
		selector,
	);
}

/** Waits (bounded) until the first element matching `selector` shows `text`. */
export async function waitForText(
	page: Page,
	selector: string,
	text: string,
	timeout = WAIT_MS,
): Promise<void> {
	await page.waitForFunction(
		(where: string, wanted: string) => document.querySelector(where)?.innerText.includes(wanted),
		{ timeout },
		selector,
		text,
	);
}

/** Opens the campaign picker (resource locator) and waits until its search box has the focus. */
export async function openCampaignList(page: Page): Promise<string[]> {
	await page.click('[data-test-id="rlc-input"]');
	await page.waitForSelector('[data-test-id="rlc-search"]', { visible: true });
	// Typing with nothing focused would reach n8n's keyboard shortcuts instead.
	await page.waitForFunction(
		() => document.activeElement?.getAttribute('data-test-id') === 'rlc-search',
	);
	await page.waitForSelector('[data-test-id="rlc-item"]', { visible: true });
	return visibleCampaignItems(page);
}

export function visibleCampaignItems(page: Page): Promise<string[]> {
	return page.$$eval('[data-test-id="rlc-item"]', (items) =>
		items
			.filter((item: InPageElement) => item.checkVisibility())
			.map((item: InPageElement) => item.innerText.trim()),
	);
}

/** Picks a campaign: opens the list, types `search` into its search box, clicks `label`. */
export async function pickCampaign(page: Page, search: string, label: string): Promise<void> {
	await openCampaignList(page);
	await page.keyboard.type(search);
	const item = await page.waitForFunction(
		(wanted: string) =>
			Array.from(document.querySelectorAll('[data-test-id="rlc-item"]')).find(
				(element) => element.checkVisibility() && element.innerText.trim() === wanted,
			),
		{},
		label,
	);
	await item.asElement()!.click();
	await page.waitForSelector('[data-test-id="rlc-search"]', { hidden: true });
}

/** The field names the variables mapper lists (null when n8n shows no mapper). */
export function mapperFields(page: Page): Promise<string[] | null> {
	return page.evaluate(() => {
		const mapper = document.querySelector('[data-test-id="resource-mapper-container"]');
		if (!mapper) return null;
		// The label's first line: hovering it adds n8n's Fixed / Expression switch to its text.
		return Array.from(mapper.querySelectorAll('label[for^="value["]'))
			.filter((label) => label.checkVisibility())
			.map((label) => label.innerText.trim().split('\n')[0].trim());
	});
}

/**
 * Waits (bounded) until the mapper lists exactly `expected`, then returns what it lists, so that a
 * test's expect() shows what was there when it never did.
 */
export async function waitForMapperFields(
	page: Page,
	expected: string[],
	timeout = WAIT_MS,
): Promise<string[] | null> {
	await page
		.waitForFunction(
			(wanted: string[]) => {
				const mapper = document.querySelector('[data-test-id="resource-mapper-container"]');
				const labels = mapper
					? Array.from(mapper.querySelectorAll('label[for^="value["]'))
							.filter((label) => label.checkVisibility())
							.map((label) => label.innerText.trim().split('\n')[0].trim())
					: [];
				return JSON.stringify(labels) === JSON.stringify(wanted);
			},
			{ timeout },
			expected,
		)
		.catch(() => undefined);
	await settle(page);
	return mapperFields(page);
}

/** Clicks the visible element under `scope` whose own text is exactly `text`. */
export async function clickText(page: Page, scope: string, text: string): Promise<void> {
	const element = await page.waitForFunction(
		(root: string, wanted: string) =>
			Array.from(document.querySelectorAll(`${root} *`)).find(
				(candidate) =>
					candidate.checkVisibility() &&
					Array.from(candidate.childNodes).some(
						(child) => child.nodeType === Node.TEXT_NODE && child.textContent?.trim() === wanted,
					),
			),
		{},
		scope,
		text,
	);
	await element.asElement()!.click();
}

/** What n8n shows as a problem, as the user would see it. */
export interface Problems {
	/** Visible texts (text nodes, input values, placeholders) in one of n8n's danger/error colours. */
	redTexts: string[];
	/** Visible texts (also placeholders and input values) that read as an error message. */
	errorTexts: string[];
	/** Parameters with n8n's issue marker (the red triangle beside a field). */
	issues: string[];
}

/**
 * Everything that looks like an error under the given roots, found the way a user sees it:
 * - a visible text whose computed colour is one of n8n's own danger/error colours (every custom
 *   property of its stylesheets named *danger* or *error* that resolves to a saturated colour), or
 *   plainly red, colours compared after the browser converts them to sRGB (n8n uses oklch());
 * - a visible text, input value or placeholder with an error wording ("Error fetching options"
 *   is a placeholder, not a text node);
 * - n8n's parameter issue marker, named by the parameter it belongs to.
 */
export function problemsShown(page: Page, roots: string[]): Promise<Problems> {
	return page.evaluate((rootSelectors: string[]) => {
		const canvas = document.createElement('canvas').getContext('2d', {
			willReadFrequently: true,
		})!;
		const toRgb = (color: string): number[] => {
			canvas.clearRect(0, 0, 1, 1);
			canvas.fillStyle = '#000';
			canvas.fillStyle = color;
			canvas.fillRect(0, 0, 1, 1);
			return Array.from(canvas.getImageData(0, 0, 1, 1).data).slice(0, 3);
		};
		const names = new Set<string>();
		const collect = (rules: ArrayLike<InPageCssRule>) => {
			for (const rule of Array.from(rules)) {
				for (const property of Array.from(rule.style ?? [])) {
					if (property.startsWith('--') && /danger|error/i.test(property)) names.add(property);
				}
				if (rule.cssRules) collect(rule.cssRules);
			}
		};
		for (const sheet of Array.from(document.styleSheets)) {
			try {
				collect(sheet.cssRules);
			} catch {
				// a cross-origin stylesheet: not n8n's
			}
		}
		const rootStyle = getComputedStyle(document.documentElement);
		const palette = Array.from(names)
			.map((name) => rootStyle.getPropertyValue(name).trim())
			.filter(Boolean)
			.map(toRgb)
			.filter((rgb) => Math.max(...rgb) - Math.min(...rgb) >= 90);
		if (palette.length === 0) throw new Error("no danger colour found in n8n's stylesheets");
		const isRed = (color: string) => {
			const [r, g, b] = toRgb(color);
			return (
				palette.some(([R, G, B]) => Math.hypot(r - R, g - G, b - B) < 40) ||
				(r >= 140 && g <= 80 && b <= 90)
			);
		};
		const errorWords =
			/error fetching|\[error|error:|could not load|couldn.t|can.t get|failed to|problem loading|is not valid|invalid/i;
		const visible = (element: InPageElement) =>
			element.checkVisibility({ opacityProperty: true, visibilityProperty: true }) &&
			element.getBoundingClientRect().width > 0;

		const redTexts: string[] = [];
		const errorTexts: string[] = [];
		const issues: string[] = [];
		for (const root of rootSelectors.flatMap((s) => Array.from(document.querySelectorAll(s)))) {
			if (!visible(root)) continue;
			const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
			for (let node = walker.nextNode(); node; node = walker.nextNode()) {
				const text = node.textContent?.trim();
				const element = node.parentElement;
				if (!text || !element || !visible(element)) continue;
				if (isRed(getComputedStyle(element).color)) redTexts.push(text);
				if (errorWords.test(text)) errorTexts.push(text);
			}
			for (const input of Array.from(root.querySelectorAll('input, textarea'))) {
				if (!visible(input) || input.type === 'password') continue;
				const value = input.value.trim();
				const placeholder = (input.getAttribute('placeholder') ?? '').trim();
				if (value && isRed(getComputedStyle(input).color)) redTexts.push(value);
				if (!value && placeholder && isRed(getComputedStyle(input, '::placeholder').color)) {
					redTexts.push(placeholder);
				}
				for (const text of [value, value ? '' : placeholder]) {
					if (text && errorWords.test(text)) errorTexts.push(text);
				}
			}
			for (const marker of Array.from(root.querySelectorAll('[data-test-id="parameter-issues"]'))) {
				if (!visible(marker)) continue;
				const input = marker
					.closest('.parameter-item, [data-test-id="parameter-item"]')
					?.querySelector('[data-test-id^="parameter-input-"]');
				issues.push(input?.getAttribute('data-test-id')?.replace('parameter-input-', '') ?? '?');
			}
		}
		const unique = (list: string[]) => Array.from(new Set(list));
		return { redTexts: unique(redTexts), errorTexts: unique(errorTexts), issues: unique(issues) };
	}, roots);
}

/** The node panel's parameters, and any dropdown or popover open above them. */
export const PARAMETER_PANE = [NDV_PARAMETERS, '.el-popper', '[data-reka-popper-content-wrapper]'];

/** The screenshots this run saved, in order. */
export const screenshots: string[] = [];

export function clearScreenshots(): void {
	mkdirSync(SCREENSHOTS_DIR, { recursive: true });
	for (const file of readdirSync(SCREENSHOTS_DIR)) {
		if (file.endsWith('.png')) rmSync(join(SCREENSHOTS_DIR, file));
	}
}

export async function screenshot(page: Page, name: string): Promise<string> {
	const file = join(SCREENSHOTS_DIR, `${name}.png`) as `${string}.png`;
	await page.screenshot({ path: file });
	screenshots.push(file);
	return file;
}
