/**
 * The latest `zeroTrust/layers` result, shared by the tree and the status bar. Asks again when the server says the
 * progress changed, and whenever the client (re)starts, including the restarts after a crash.
 */
import { EventEmitter, commands, type Disposable, type Event } from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { LayersChangedNotification, LayersRequest, type LayersResult, type TenantLayers } from '../../server/src/protocol';

export class LayerProgress implements Disposable {
  private readonly changed = new EventEmitter<void>();
  /** Fires after every refresh, successful or not. */
  readonly onDidChange: Event<void> = this.changed.event;

  private result: LayersResult | undefined;
  private problem: string | undefined;
  private subscription: Disposable | undefined;
  private readonly stateListener: Disposable;
  private inFlight: Promise<void> | undefined;
  private again = false;
  private firstLoad: () => void = () => undefined;
  /** Settles after the first refresh (or the first problem), so the tree can show its progress bar until then. */
  readonly loaded: Promise<void> = new Promise((resolve) => (this.firstLoad = resolve));

  constructor(private readonly client: LanguageClient) {
    this.stateListener = client.onDidChangeState((e) => this.onStateChange(e.newState));
    if (client.state === State.Running) this.onStateChange(State.Running);
  }

  /** The tenants of the last result (empty before the first one). */
  get tenants(): readonly TenantLayers[] {
    return this.result?.tenants ?? [];
  }

  /** Why there is no current result, if there is none: the server is not running, or the request failed. */
  get message(): string | undefined {
    return this.problem;
  }

  /** Asks the server again; calls made while a request is in flight fold into one more request. */
  refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.fetch().finally(() => {
      this.inFlight = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.inFlight;
  }

  dispose(): void {
    this.stateListener.dispose();
    this.subscription?.dispose();
    this.changed.dispose();
  }

  private onStateChange(state: State): void {
    if (state === State.Running) {
      // A restarted client has a new connection: subscribe again, and ask again (the new server knows more or less).
      this.subscription?.dispose();
      this.subscription = this.client.onNotification(LayersChangedNotification, () => void this.refresh());
      void this.refresh();
    } else if (state === State.Stopped) {
      this.setProblem('The Zero Trust language server is not running. Run "Zero Trust: Restart Language Server".');
    }
  }

  private async fetch(): Promise<void> {
    try {
      this.result = await this.client.sendRequest<LayersResult>(LayersRequest);
      this.problem = undefined;
    } catch (e) {
      if (this.client.state !== State.Running) return; // a stop or restart interrupted it; the state change reports
      this.problem = `Could not get the layer progress: ${(e as Error).message ?? String(e)}`;
    }
    await this.publish();
  }

  private setProblem(message: string): void {
    this.problem = message;
    void this.publish();
  }

  private async publish(): Promise<void> {
    await commands.executeCommand('setContext', 'zeroTrust.hasTenant', this.tenants.length > 0);
    await commands.executeCommand('setContext', 'zeroTrust.layersLoaded', true);
    this.firstLoad();
    this.changed.fire();
  }
}
