import { describeSettinglessTrigger } from './trigger-test-kit.ts'

describeSettinglessTrigger('trigger-manual', { event: 'manual' }, [])
