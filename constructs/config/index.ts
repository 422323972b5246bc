/**
 * The configuration file, `rollbar.yaml`: load it, or check it and get every problem and warning with its line
 * and column. Imports no engine. The JSON Schema of the file ships as `rollbar-provisioning/rollbar.schema.json`.
 * @module
 */
export {
  DEFAULT_CONFIG_FILE,
  EXAMPLE_CONFIG,
  checkConfigFile,
  checkConfigText,
  configPath,
  loadConfig,
  loadConfigText,
  type ConfigCheck,
  type RollbarConfig,
} from './load';
