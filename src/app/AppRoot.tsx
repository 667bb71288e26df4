import { Component } from 'preact';
import type { UnitSystem } from '../clinical/model';
import { App } from '../ui/App';
import type { AppActions, AppState } from '../ui/types';

interface Props {
  controller: AppActions & { getState(): AppState; subscribe(l: (s: AppState) => void): () => void };
  /** The unit system to start with (the user's stored choice, else the site's). Default SI. */
  units?: UnitSystem;
  /** Told when the user picks another unit system (to remember it). */
  onUnits?: (units: UnitSystem) => void;
}

/**
 * The page's root: subscribes to the controller's state and renders the view, in the unit system
 * the user picked. A class component (setState batches re-renders exactly like a hook's), so the app
 * page ships no preact/hooks.
 */
export class AppRoot extends Component<Props, { state: AppState; units: UnitSystem }> {
  private unsubscribe?: () => void;

  constructor(props: Props) {
    super(props);
    this.state = { state: props.controller.getState(), units: props.units ?? 'si' };
  }

  override componentDidMount(): void {
    const { controller } = this.props;
    this.setState({ state: controller.getState() });
    this.unsubscribe = controller.subscribe((state) => this.setState({ state }));
  }

  override componentWillUnmount(): void {
    this.unsubscribe?.();
  }

  private setUnits = (units: UnitSystem): void => {
    this.setState({ units });
    this.props.onUnits?.(units);
  };

  override render() {
    return <App state={this.state.state} actions={this.props.controller} units={this.state.units} onUnits={this.setUnits} />;
  }
}
