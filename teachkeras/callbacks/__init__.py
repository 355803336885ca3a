"""`teachkeras.callbacks`: code that runs at fixed moments of training."""

from .backup_and_restore import BackupAndRestore
from .callback import Callback
from .callback_list import CallbackList
from .csv_logger import CSVLogger
from .early_stopping import EarlyStopping
from .gradient_flow import GradientFlowRecorder
from .history import History
from .lambda_callback import LambdaCallback
from .learning_rate_scheduler import LearningRateScheduler
from .live_history_plot import LiveHistoryPlot
from .model_checkpoint import ModelCheckpoint
from .monitor_callback import MonitorCallback
from .progbar_logger import ProgbarLogger
from .reduce_lr_on_plateau import ReduceLROnPlateau
from .terminate_on_nan import TerminateOnNaN
from .unit_monitor import DeadUnitMonitor

__all__ = [
    "BackupAndRestore",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "DeadUnitMonitor",
    "EarlyStopping",
    "GradientFlowRecorder",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "LiveHistoryPlot",
    "ModelCheckpoint",
    "MonitorCallback",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "TerminateOnNaN",
]
