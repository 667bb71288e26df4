import { Component } from 'preact';
import { App } from '../ui/App';
import type { AppActions, AppState } from '../ui/types';

interface Props {
  controller: AppActions & { getState(): AppState; subscribe(l: (s: AppState) => void): () => void };
}

/**
 * The page's root: subscribes to the controller's state and renders the view. A class component
 * (setState batches re-renders exactly like a hook's), so the app page ships no preact/hooks
 * (about 1 kB gz).
 */
export class AppRoot extends Component<Props, { state: AppState }> {
  private unsubscribe?: () => void;

  constructor(props: Props) {
    super(props);
    this.state = { state: props.controller.getState() };
  }

  override componentDidMount(): void {
    const { controller } = this.props;
    this.setState({ state: controller.getState() });
    this.unsubscribe = controller.subscribe((state) => this.setState({ state }));
  }

  override componentWillUnmount(): void {
    this.unsubscribe?.();
  }

  override render() {
    return <App state={this.state.state} actions={this.props.controller} />;
  }
}
