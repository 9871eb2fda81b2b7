import { App, type AppOptions } from './app/app.ts';
import type { AnyModule } from './app/module.ts';
import { AuthKeeper, AuthModule } from './modules/auth/module.ts';
import { BankKeeper } from './modules/bank/keeper.ts';
import { BankModule } from './modules/bank/module.ts';

export type AppConfig = Omit<AppOptions, 'modules'>;

/** The modules of a Bulwark chain, wired together; the order is the begin/end-block order. */
export function createModules(): AnyModule[] {
  const bank = new BankKeeper();
  const auth = new AuthKeeper();
  return [new AuthModule(auth), new BankModule(bank)];
}

/** A Bulwark app with every module. */
export function createApp(config: AppConfig = {}): App {
  return new App({ ...config, modules: createModules() });
}

export { App } from './app/app.ts';
export type * from './app/types.ts';
