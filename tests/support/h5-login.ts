// Signing a worker in on the H5 in e2e tests: phone → SMS code (the demo provider shows it in the
// page, data-testid="demo-code") → 登录. One copy for every e2e file.
import type { Page } from 'playwright-core';

/** Fills and submits the H5 login form that is on screen (after a redirect to 登录, or on /h5/#/login). */
export async function submitH5Login(page: Page, phone: string): Promise<void> {
  await page.locator('input[data-testid="phone-input"]').fill(phone);
  await page.getByTestId('send-code').click();
  const demo = await page.getByTestId('demo-code').textContent({ timeout: 10_000 });
  await page.locator('input[data-testid="code-input"]').fill(/(\d{6})/.exec(demo ?? '')![1]!);
  await page.getByTestId('login-submit').click();
}

/** Opens /h5/#/login on `baseUrl`, signs `phone` in and waits for 首页. */
export async function h5Login(page: Page, baseUrl: string, phone: string): Promise<void> {
  await page.goto(`${baseUrl}/h5/#/login`);
  await submitH5Login(page, phone);
  await page.getByTestId('home-who').waitFor();
}
